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
        rules(config).check();
        new EngineSetup(config.intraOpThreads(), config.interOpThreads(), false).configure();
    }

    /** What {@code kdflow.engine.*} must satisfy. */
    static SettingRules rules(EngineConfig config) {
        return new SettingRules()
                .atLeast("kdflow.engine.intra-op-threads", config.intraOpThreads(), 1)
                .atLeast("kdflow.engine.inter-op-threads", config.interOpThreads(), 1);
    }
}
