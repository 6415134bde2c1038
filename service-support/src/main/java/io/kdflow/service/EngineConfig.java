package io.kdflow.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The native (libtorch) thread budget of a service.
 *
 * <p>On 2 cores shared by a broker and four services, libtorch's default (one spinning OpenMP worker
 * per core) makes every service ~30x slower as soon as another one runs (docs/architecture.md, "Threads budget"). Services
 * therefore default to one intra-op thread; a pod that owns its cores raises it. The values are applied by
 * kd-core's {@link io.kdflow.core.engine.EngineSetup} (its Javadoc states the rule for every entry point).
 */
@ConfigMapping(prefix = "kdflow.engine")
public interface EngineConfig {

    /** Threads libtorch uses inside one op (matmul, softmax). Defaults to {@code 1}. */
    @WithDefault("1")
    int intraOpThreads();

    /** Threads libtorch uses to run independent ops in parallel. Defaults to {@code 1}. */
    @WithDefault("1")
    int interOpThreads();
}
