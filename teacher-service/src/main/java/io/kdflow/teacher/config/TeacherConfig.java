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

    /**
     * How long a teacher-ready event or a student sample's scores stay in flight through a broker outage (awaited
     * every {@link #sendTimeout}; a copy the producer gave up on is sent again: the evaluator, pt-sampler and the
     * trainer keep the first) before the record fails. Defaults to {@code 10m}.
     */
    @WithDefault("10m")
    Duration publishRetryFor();

    /**
     * Root of the model store (shared with the other services): teachers are resolved into
     * {@code <store>/teachers/} and teacher-ready events name {@code store:} URIs inside it. Defaults to
     * {@code model-store}.
     */
    @WithDefault("model-store")
    String modelStore();

    /**
     * Largest request body of the REST API, in bytes; a larger one gets 413. Defaults to {@code 1048576}. (The
     * bearer token of the API is the one every service shares: {@code kdflow.api.token}, see service-support's
     * ApiGuard.)
     */
    @WithDefault("1048576")
    int maxRequestBytes();

    /** Most inputs (generate) or targets (score) in one REST request. Defaults to {@code 64}. */
    @WithDefault("64")
    int maxRequestItems();

    enum Mode {
        /**
         * Plumbing only, no teacher model: every position of a student sample gets a point mass on the
         * token the student chose (log-prob 0, k = 1). Scoring with a real teacher comes with the
         * distillation work (docs/architecture.md, "What the distillation and pipeline work will add").
         */
        ECHO
    }
}
