package io.kdflow.sampler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Every setting of pt-sampler ({@code sampler.*}). */
@ConfigMapping(prefix = "sampler")
public interface SamplerConfig {

    /** How targets are produced. Defaults to {@code pass-through}. */
    @WithDefault("pass-through")
    Mode mode();

    /** How long to wait for the broker to acknowledge a published record. Defaults to {@code 30s}. */
    @WithDefault("30s")
    Duration sendTimeout();

    enum Mode {
        /**
         * Plumbing only: the gold target of each labeled example is forwarded as a PASS_THROUGH record with
         * no teacher and no distribution; unlabeled examples are skipped. Teacher sampling comes with the
         * distillation work (docs/architecture.md, "What the distillation and pipeline work will add").
         */
        PASS_THROUGH
    }
}
