package io.kdflow.service;

import io.kdflow.core.engine.EngineSetup;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Applies {@link EngineConfig} through kd-core's {@link EngineSetup} at start-up, before any model is loaded;
 * libtorch itself starts with the first model (teacher and sampler may never load one).
 */
@Startup
@ApplicationScoped
public class EngineThreadBudget {

    private final EngineConfig config;

    public EngineThreadBudget(EngineConfig config) {
        this.config = config;
    }

    @PostConstruct
    void apply() {
        requireAtLeastOne("kdflow.engine.intra-op-threads", config.intraOpThreads());
        requireAtLeastOne("kdflow.engine.inter-op-threads", config.interOpThreads());
        new EngineSetup(config.intraOpThreads(), config.interOpThreads(), false).configure();
    }

    private static void requireAtLeastOne(String key, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException(key + "=" + threads + ": must be a thread count >= 1");
        }
    }
}
