package io.kdflow.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Every setting of student-trainer ({@code trainer.*}): paths, defaults and limits only. What a job trains
 * with comes from its JobSpec on {@code kdflow.jobs.v1} (resolved by {@code io.kdflow.core.job.JobSettings}).
 */
@ConfigMapping(prefix = "trainer")
public interface TrainerConfig {

    /** What the trainer does with a job's targets. Defaults to {@code train}. */
    @WithDefault("train")
    Mode mode();

    /** Root of the shared model store (a ReadWriteMany volume on Kubernetes). Defaults to {@code model-store}. */
    @WithDefault("model-store")
    Path modelStore();

    /** Where the trainer keeps its local copy of each job's target stream. Defaults to {@code trainer-data}. */
    @WithDefault("trainer-data")
    Path dataDir();

    /**
     * Model-store URI ({@code store:...}) of the student a job starts from when its JobSpec names none
     * ({@code student.init_uri}); an HF-layout directory with {@code tokenizer.json}. No default: such a job
     * is dead-lettered.
     */
    Optional<String> defaultStudentInit();

    /**
     * Optimizer steps of the learning-rate schedule of a job whose JobSpec sets no {@code training.total_steps}
     * (a streaming trainer does not know the data size up front). Defaults to {@code 1000}.
     */
    @WithDefault("1000")
    long defaultTotalSteps();

    /** Largest {@code training.batch_size} accepted (memory bound). Defaults to {@code 4096}. */
    @WithDefault("4096")
    int maxBatchSize();

    /** Largest {@code training.max_source_tokens} / {@code max_target_tokens} accepted. Defaults to {@code 4096}. */
    @WithDefault("4096")
    int maxTokens();

    /** How long to wait for the broker to acknowledge a published record. Defaults to {@code 30s}. */
    @WithDefault("30s")
    Duration sendTimeout();

    enum Mode {
        /**
         * Plumbing only: targets are materialized into the local store (de-duplicated) and every
         * {@code training.checkpoint_every_steps} new targets a checkpoint holds the manifest of what was
         * consumed, with no weights.
         */
        MATERIALIZE,
        /** Each job's student is trained with the objective of its JobSpec on the targets as they arrive. */
        TRAIN
    }
}
