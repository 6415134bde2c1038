package io.kdflow.core.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.nn.DenormalFlush;
import io.kdflow.core.model.nn.LinearPrecision;
import io.kdflow.core.model.nn.MallocRetention;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every entry point (CLI commands, services through service-support, the bench) prepares libtorch, in
 * this order, before any model is loaded:
 *
 * <ol>
 *   <li>Flush-to-zero on the calling thread ({@link DenormalFlush}): libtorch's OpenMP workers copy the
 *       flags of the thread that starts them, and denormal floats make matrix products up to ~160x slower.
 *   <li>glibc malloc keeps freed memory ({@link MallocRetention}), only when {@link #ownsMachine}: a bench
 *       or a training run that has the machine to itself trades ~15% resident memory for 6-10% speed.
 *   <li>Intra-op threads: {@link #intraOpThreads} when the entry point asks for a count ({@code --threads},
 *       {@code kdflow.engine.intra-op-threads}); otherwise a {@code -Dai.djl.pytorch.num_threads} given to the
 *       JVM; otherwise every available processor.
 *   <li>Inter-op threads: {@link #interOpThreads}, {@code 1} unless asked otherwise; the models never run
 *       independent ops in parallel.
 *   <li>The precision of the linear layers' products ({@link LinearPrecision}) is checked: a bad value, or bfloat16
 *       on a CPU without it, stops the process here rather than at its first product.
 * </ol>
 *
 * The counts reach DJL as the system properties it reads when the engine starts ({@link #configure}, for
 * services, which may never load a model); {@link #apply} (commands, bench) then starts the engine and, when it
 * was already running (tests run several commands in one JVM), sets the intra-op count directly. libtorch fixes
 * its inter-op pool at the first parallel op, so that one cannot change afterwards.
 *
 * <p>{@code OMP_WAIT_POLICY} cannot be set from Java (OpenMP reads it when libtorch loads): unset, idle
 * workers spin, the fastest choice for owned cores; processes that share cores (the demo's services) get
 * {@code PASSIVE} in their environment. {@link #ompWaitPolicy()} reports what is in effect.
 *
 * @param intraOpThreads threads inside one op, or {@code null} for the JVM flag or all processors
 * @param interOpThreads threads for independent ops, at least 1
 * @param ownsMachine    whether this process may keep freed memory for itself (malloc retention)
 */
public record EngineSetup(Integer intraOpThreads, int interOpThreads, boolean ownsMachine) {

    /** The DJL system property for intra-op threads. */
    public static final String INTRA_OP_PROPERTY = "ai.djl.pytorch.num_threads";
    /** The DJL system property for inter-op threads. */
    public static final String INTER_OP_PROPERTY = "ai.djl.pytorch.num_interop_threads";

    private static final Logger LOG = LoggerFactory.getLogger(EngineSetup.class);

    public EngineSetup {
        if (intraOpThreads != null && intraOpThreads < 1) {
            throw new IllegalArgumentException("intra-op threads must be >= 1, got " + intraOpThreads);
        }
        if (interOpThreads < 1) {
            throw new IllegalArgumentException("inter-op threads must be >= 1, got " + interOpThreads);
        }
    }

    /** A command sharing the machine: {@code threads} intra-op threads (or null: see the rule), one inter-op. */
    public static EngineSetup shared(Integer threads) {
        return new EngineSetup(threads, 1, false);
    }

    /** A process that owns its cores and memory (the bench): as {@link #shared}, plus malloc retention. */
    public static EngineSetup owningMachine(Integer threads) {
        return new EngineSetup(threads, 1, true);
    }

    /**
     * Applies the settings without starting the engine (a service that may never load a model): libtorch
     * takes the thread counts when it starts. Returns the intra-op threads it will use.
     */
    public int configure() {
        DenormalFlush.ensureEnabled();
        if (ownsMachine) {
            MallocRetention.enable();
        }
        int threads = resolvedIntraOpThreads();
        LinearPrecision precision = LinearPrecision.current(); // a bad value or an unfit CPU fails here, not mid-run
        System.setProperty(INTRA_OP_PROPERTY, Integer.toString(threads));
        System.setProperty(INTER_OP_PROPERTY, Integer.toString(interOpThreads));
        LOG.info("libtorch set-up: intra-op threads {}, inter-op threads {}, flush-to-zero {}, malloc retention {},"
                        + " OMP_WAIT_POLICY {}, linear products in {}", threads, interOpThreads,
                DenormalFlush.isEnabled(), MallocRetention.isEnabled(), ompWaitPolicy(),
                precision.name().toLowerCase(Locale.ROOT));
        return threads;
    }

    /** {@link #configure}, then starts the engine; returns the intra-op threads libtorch reports. */
    public int apply() {
        int threads = configure();
        Engine.getEngine("PyTorch");
        if (JniUtils.getNumThreads() != threads) {
            JniUtils.setNumThreads(threads); // the engine was already running
        }
        return JniUtils.getNumThreads();
    }

    /** The intra-op count the rule picks: the requested one, else the JVM flag, else all processors. */
    public int resolvedIntraOpThreads() {
        if (intraOpThreads != null) {
            return intraOpThreads;
        }
        String flag = System.getProperty(INTRA_OP_PROPERTY);
        if (flag == null || flag.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int threads = Integer.parseInt(flag.strip());
            if (threads >= 1) {
                return threads;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadInputException("-D" + INTRA_OP_PROPERTY + "=" + flag + ": expected a thread count >= 1");
    }

    /** {@code OMP_WAIT_POLICY} as set in the environment, or {@code unset} (idle workers spin). */
    public static String ompWaitPolicy() {
        String policy = System.getenv("OMP_WAIT_POLICY");
        return policy == null || policy.isBlank() ? "unset" : policy.strip();
    }
}
