package io.kdflow.evaluator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** Every setting of the evaluator ({@code evaluator.*}). */
@ConfigMapping(prefix = "evaluator")
public interface EvaluatorConfig {

    /** What the evaluator measures. Defaults to {@code verify}. */
    @WithDefault("verify")
    Mode mode();

    /** Root of the shared model store (a ReadWriteMany volume on Kubernetes). Defaults to {@code model-store}. */
    @WithDefault("model-store")
    Path modelStore();

    /** How long to wait for the broker to acknowledge a published record. Defaults to {@code 30s}. */
    @WithDefault("30s")
    Duration sendTimeout();

    enum Mode {
        /**
         * Plumbing only: checks each checkpoint against its manifest (every file's size and sha256) and
         * reports the file count and bytes. Task metrics arrive with the evaluation work (issue #4).
         */
        VERIFY
    }
}
