package io.kdflow.evaluator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Every setting of the evaluator ({@code evaluator.*}); README.md lists them with their defaults. */
@ConfigMapping(prefix = "evaluator")
public interface EvaluatorConfig {

    /** Root of the shared model store (a ReadWriteMany volume on Kubernetes). Defaults to {@code model-store}. */
    @WithDefault("model-store")
    Path modelStore();

    /**
     * Where the evaluator keeps its own state: the log of published reports that makes evaluation idempotent
     * across restarts. Defaults to {@code evaluator-data}.
     */
    @WithDefault("evaluator-data")
    Path dataDir();

    /** How long to wait for the broker to acknowledge a published record. Defaults to {@code 30s}. */
    @WithDefault("30s")
    Duration sendTimeout();

    /**
     * How long a report is kept in flight through a broker outage (awaited every {@link #sendTimeout}; sent again
     * only when the producer gave up on it and the reports topic lacks it) before the checkpoint fails. Defaults to
     * {@code 10m}.
     */
    @WithDefault("10m")
    Duration publishRetryFor();

    /**
     * How long a checkpoint of a job whose JobSpec has not been read yet waits for it (Kafka orders nothing across
     * topics) before it is evaluated with the configured defaults. Defaults to {@code 30s}.
     */
    @WithDefault("30s")
    Duration jobSpecWait();

    // Defaults of what a job's JobSpec.evaluation (and training truncation) leaves unset; README.md lists the
    // fields. kd-core's EvaluationSettings validates the job's values and names the field of a bad one.

    /** Dev (and test) JSON Lines sets by job id, {@code default} for any job whose spec names none. */
    Map<String, DatasetFiles> datasets();

    /** Examples used per split (the first of the file). */
    @WithDefault("200")
    int maxExamples();

    /** Beams of the search that produces predictions (the paper: 4). */
    @WithDefault("4")
    int numBeams();

    @WithDefault("64")
    int maxNewTokens();

    @WithDefault("256")
    int maxSourceTokens();

    /** Reference tokens kept: references are decoded from the tokenized, truncated gold, as the paper does. */
    @WithDefault("64")
    int maxTargetTokens();

    /** Examples decoded and scored together: the machine's choice, not the job's. */
    @WithDefault("16")
    int batchSize();

    @WithDefault("bleu")
    String selectionMetric();

    /** Computational metrics. */
    Compute compute();

    /** The dev file (checkpoints are selected on it) and the optional test file of one job. */
    interface DatasetFiles {

        Path dev();

        Optional<Path> test();
    }

    /** Parameter counts and FLOPs are always reported; latency and throughput only when enabled (slow). */
    interface Compute {

        /** Input length S of the FLOPs, latency and throughput workloads (the paper: 48, 320, 480). */
        @WithDefault("48")
        int sourceLength();

        /** Target length T of the FLOPs, latency and throughput workloads (the paper: 32). */
        @WithDefault("32")
        int targetLength();

        Latency latency();

        Throughput throughput();
    }

    /** Batch-1 greedy latency with exactly target-length new tokens. */
    interface Latency {

        @WithDefault("false")
        boolean enabled();

        @WithDefault("10")
        int warmupCalls();

        @WithDefault("25")
        int calls();
    }

    /** Examples per minute at the largest batch under the memory cap. */
    interface Throughput {

        @WithDefault("false")
        boolean enabled();

        /** Working-memory budget in MB (10^6 bytes; the paper: 16000). */
        @WithDefault("16000")
        long memoryCapMb();

        /** Largest batch tried, whatever the cap allows. */
        @WithDefault("64")
        int maxBatch();

        @WithDefault("3")
        int calls();
    }
}
