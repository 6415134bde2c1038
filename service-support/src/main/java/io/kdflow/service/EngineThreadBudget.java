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
        new EngineSetup(config.intraOpThreads(), config.interOpThreads(), false).configure();
    }
}
