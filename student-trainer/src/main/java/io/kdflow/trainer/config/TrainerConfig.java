package io.kdflow.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

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

    /** A checkpoint event is published after this many new targets. Defaults to {@code 100}. */
    @WithDefault("100")
    int checkpointEveryRecords();

    /** How long to wait for the broker to acknowledge a published record. Defaults to {@code 30s}. */
    @WithDefault("30s")
    Duration sendTimeout();

    enum Mode {
        /**
         * Plumbing only: targets are materialized into the local store (de-duplicated) and each checkpoint
         * holds the manifest of what was consumed, with no weights. Training arrives with the distillation
         * work.
         */
        MATERIALIZE
    }
}
