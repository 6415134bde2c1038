package io.kdflow.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Every setting of student-trainer ({@code trainer.*}). */
@ConfigMapping(prefix = "trainer")
public interface TrainerConfig {

    /** What the trainer does with targets. Defaults to {@code materialize}. */
    @WithDefault("materialize")
    Mode mode();

    /** Root of the shared model store (a ReadWriteMany volume on Kubernetes). Defaults to {@code model-store}. */
    @WithDefault("model-store")
    Path modelStore();

    /** Where the trainer keeps its local copy of the target stream. Defaults to {@code trainer-data}. */
    @WithDefault("trainer-data")
    Path dataDir();

    /** Materialize mode: a checkpoint event after this many new targets. Defaults to {@code 100}. */
    @WithDefault("100")
    int checkpointEveryRecords();

    /**
     * Cross-entropy mode: model-store URI ({@code store:...}) of the student to start from, an HF-layout
     * directory with {@code tokenizer.json}. Required in that mode.
     */
    Optional<String> studentInit();

    /** Cross-entropy mode: targets per optimizer step. Defaults to {@code 16}. */
    @WithDefault("16")
    int batchSize();

    /** Cross-entropy mode: peak learning rate of AdamW. Defaults to {@code 5e-4}. */
    @WithDefault("5e-4")
    double learningRate();

    /** Cross-entropy mode: linear warm-up steps. Defaults to {@code 20}. */
    @WithDefault("20")
    int warmupSteps();

    /** Cross-entropy mode: steps over which the learning rate decays linearly to 0. Defaults to {@code 1000}. */
    @WithDefault("1000")
    int totalSteps();

    /** Cross-entropy mode: AdamW decoupled weight decay. Defaults to {@code 0.01}. */
    @WithDefault("0.01")
    double weightDecay();

    /** Cross-entropy mode: a checkpoint every this many optimizer steps. Defaults to {@code 25}. */
    @WithDefault("25")
    int checkpointEverySteps();

    /** Cross-entropy mode: source tokens kept per example, template included. Defaults to {@code 64}. */
    @WithDefault("64")
    int maxSourceTokens();

    /** Cross-entropy mode: target tokens kept per example, EOS included. Defaults to {@code 64}. */
    @WithDefault("64")
    int maxTargetTokens();

    /** How long to wait for the broker to acknowledge a published record. Defaults to {@code 30s}. */
    @WithDefault("30s")
    Duration sendTimeout();

    enum Mode {
        /**
         * Plumbing only: targets are materialized into the local store (de-duplicated) and each checkpoint
         * holds the manifest of what was consumed, with no weights.
         */
        MATERIALIZE,
        /** Teacher-forced cross-entropy training of the student on the targets as they arrive. */
        CROSS_ENTROPY
    }
}
