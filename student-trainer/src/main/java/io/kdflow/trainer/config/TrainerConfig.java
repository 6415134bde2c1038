package io.kdflow.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Every setting of student-trainer ({@code trainer.*}): paths, defaults and limits only. What a job trains
 * with comes from its JobSpec on {@code kdflow.jobs.v1} (resolved by {@code io.kdflow.core.job.JobSettings}).
 */
@ConfigMapping(prefix = "trainer")
public interface TrainerConfig {

    /**
     * Root of the shared model store (a ReadWriteMany volume on Kubernetes): teachers, each job's run directory
     * {@code <job>/run/} and the CE baselines' cache {@code cache/}. Defaults to {@code model-store}.
     */
    @WithDefault("model-store")
    Path modelStore();

    /** Where the trainer keeps its local copy of each job's target stream. Defaults to {@code trainer-data}. */
    @WithDefault("trainer-data")
    Path dataDir();

    /** Largest {@code training.batch_size} accepted (memory bound). Defaults to {@code 4096}. */
    @WithDefault("4096")
    int maxBatchSize();

    /** Largest {@code training.max_source_tokens} / {@code max_target_tokens} accepted. Defaults to {@code 4096}. */
    @WithDefault("4096")
    int maxTokens();

    /** How long to wait for the broker to acknowledge a published record. Defaults to {@code 30s}. */
    @WithDefault("30s")
    Duration sendTimeout();

    /**
     * How long a checkpoint event is sent again (every {@link #sendTimeout}) while the broker does not acknowledge
     * it, e.g. during a broker restart, before the run fails. Defaults to {@code 10m}.
     */
    @WithDefault("10m")
    Duration publishRetryFor();

    /**
     * Remote Joint-Teaching: how long a student step waits for teacher-service's scores of its samples before the
     * run fails; long enough for teacher-service to restart and score what it had not (its consumer resumes from
     * the committed offset). Defaults to {@code 600s}.
     */
    @WithDefault("600s")
    Duration scoreTimeout();

    /**
     * Remote Joint-Teaching: a sample without a score after this long is published again under the same request id
     * (and again every such interval until {@code trainer.score-timeout}); a second answer is dropped and counted.
     * Defaults to {@code 30s}.
     */
    @WithDefault("30s")
    Duration scoreRetryAfter();
}
