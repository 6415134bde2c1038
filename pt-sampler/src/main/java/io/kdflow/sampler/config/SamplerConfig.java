package io.kdflow.sampler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Every setting of pt-sampler ({@code sampler.*}): modes, defaults and limits only. What a job samples
 * (K, decoding, top-k, quantization) comes from its JobSpec on {@code kdflow.jobs.v1}.
 */
@ConfigMapping(prefix = "sampler")
public interface SamplerConfig {

    /** How targets are produced. Defaults to {@code pass-through}. */
    @WithDefault("pass-through")
    Mode mode();

    /**
     * Examples held in memory, all jobs together, while their job's JobSpec has not arrived; one more is
     * dead-lettered. Held examples are acknowledged, so a crash loses them: keep the bound small and publish
     * the JobSpec first. Defaults to {@code 10000}.
     */
    @WithDefault("10000")
    int maxHeldExamples();

    /** Largest {@code pseudo_targets.num_pseudo_targets} (K) accepted. Defaults to {@code 64}. */
    @WithDefault("64")
    int maxPseudoTargets();

    /** How long to wait for the broker to acknowledge a published record. Defaults to {@code 30s}. */
    @WithDefault("30s")
    Duration sendTimeout();

    enum Mode {
        /**
         * Plumbing only: the gold target of each labeled example is forwarded as a PASS_THROUGH record with
         * no teacher and no distribution; unlabeled examples are skipped. Teacher sampling comes later.
         */
        PASS_THROUGH
    }
}
