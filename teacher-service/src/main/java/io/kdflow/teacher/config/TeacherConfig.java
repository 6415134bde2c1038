package io.kdflow.teacher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Every setting of teacher-service ({@code teacher.*}). */
@ConfigMapping(prefix = "teacher")
public interface TeacherConfig {

    /** How student samples are scored. Defaults to {@code echo}. */
    @WithDefault("echo")
    Mode mode();

    /** Vocabulary size stamped on echo distributions. Defaults to {@code 50265} (BART's). */
    @WithDefault("50265")
    int echoVocabSize();

    /** How long to wait for the broker to acknowledge a published record. Defaults to {@code 30s}. */
    @WithDefault("30s")
    Duration sendTimeout();

    enum Mode {
        /**
         * Plumbing only, no teacher model: every position of a student sample gets a point mass on the
         * token the student chose (log-prob 0, k = 1). Scoring with a real teacher comes with the
         * distillation work (docs/architecture.md, "What the distillation and pipeline work will add").
         */
        ECHO
    }
}
