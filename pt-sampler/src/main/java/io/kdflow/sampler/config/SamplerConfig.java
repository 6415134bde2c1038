package io.kdflow.sampler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Every setting of pt-sampler ({@code sampler.*}): defaults and limits only. What a job samples (K, decoding,
 * top-k, quantization, batch size) comes from its JobSpec on {@code kdflow.jobs.v1}, its teacher from the
 * teacher-ready event on {@code kdflow.checkpoints.v1}.
 */
@ConfigMapping(prefix = "sampler")
public interface SamplerConfig {

    /**
     * Root of the model store the teacher-ready events' {@code store:} URIs point into (shared with
     * teacher-service). Defaults to {@code model-store}.
     */
    @WithDefault("model-store")
    String modelStore();

    /**
     * Examples held in memory, all jobs together, while their job's JobSpec has not arrived; one more is
     * dead-lettered, so memory stays bounded when a spec never comes. Defaults to {@code 10000}.
     */
    @WithDefault("10000")
    int maxHeldExamples();

    /** Largest {@code pseudo_targets.num_pseudo_targets} (K) accepted. Defaults to {@code 64}. */
    @WithDefault("64")
    int maxPseudoTargets();

    /**
     * How long no example may arrive before a job's partial batch is generated (the consumer has caught up with
     * its partitions). Defaults to {@code 500ms}.
     */
    @WithDefault("500ms")
    Duration flushAfter();

    /** How long to wait for the broker to acknowledge a published record. Defaults to {@code 30s}. */
    @WithDefault("30s")
    Duration sendTimeout();

    /**
     * How long PT records are kept in flight through a broker outage (awaited every {@link #sendTimeout}, a record
     * the producer gave up on sent again) before the sampler reports itself DOWN. Defaults to {@code 10m}.
     */
    @WithDefault("10m")
    Duration publishRetryFor();
}
