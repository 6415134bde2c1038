package io.kdflow.service;

import io.kdflow.core.engine.EngineSetup;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

/** Applies {@link EngineConfig} through kd-core's {@link EngineSetup} at start-up, before any model is loaded. */
@Startup
@ApplicationScoped
public class EngineThreadBudget {

    private final EngineConfig config;
    private int intraOpThreads;

    public EngineThreadBudget(EngineConfig config) {
        this.config = config;
    }

    @PostConstruct
    void apply() {
        intraOpThreads = new EngineSetup(config.intraOpThreads(), config.interOpThreads(), false).apply();
    }

    /** The intra-op thread count libtorch reported after the set-up. */
    public int intraOpThreads() {
        return intraOpThreads;
    }
}
