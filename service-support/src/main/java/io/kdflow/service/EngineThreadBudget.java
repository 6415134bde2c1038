package io.kdflow.service;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Applies {@link EngineConfig} before any model is loaded: DJL reads these system properties once, when
 * the PyTorch engine starts. Explicit {@code -D} flags on the command line win.
 */
@Startup
@ApplicationScoped
public class EngineThreadBudget {

    static final String INTRA_OP_PROPERTY = "ai.djl.pytorch.num_threads";
    static final String INTER_OP_PROPERTY = "ai.djl.pytorch.num_interop_threads";

    private static final Logger LOG = Logger.getLogger(EngineThreadBudget.class);

    private final EngineConfig config;

    public EngineThreadBudget(EngineConfig config) {
        this.config = config;
    }

    @PostConstruct
    void apply() {
        setIfAbsent(INTRA_OP_PROPERTY, config.intraOpThreads());
        setIfAbsent(INTER_OP_PROPERTY, config.interOpThreads());
        LOG.infof("libtorch thread budget: intra-op %s, inter-op %s, OMP_WAIT_POLICY=%s",
                System.getProperty(INTRA_OP_PROPERTY), System.getProperty(INTER_OP_PROPERTY),
                System.getenv().getOrDefault("OMP_WAIT_POLICY", "(unset: active spin)"));
    }

    /** The intra-op thread count the engine will use. */
    public int intraOpThreads() {
        return Integer.getInteger(INTRA_OP_PROPERTY, config.intraOpThreads());
    }

    private static void setIfAbsent(String property, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("kdflow.engine: thread counts must be >= 1, got " + value);
        }
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(value));
        }
    }
}
