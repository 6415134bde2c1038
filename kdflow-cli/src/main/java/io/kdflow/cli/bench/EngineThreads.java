package io.kdflow.cli.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.model.nn.DenormalFlush;
import io.kdflow.core.model.nn.MallocRetention;
import java.lang.management.ManagementFactory;

/**
 * Prepares the CPU and libtorch for a process that owns its cores and memory: flush-to-zero first
 * (libtorch's OpenMP workers copy the flags of the thread that starts them), malloc keeping freed
 * memory ({@link MallocRetention}), then the intra-op thread count, through DJL's system property when
 * the engine has not started yet and directly otherwise. One inter-op thread: the models never run
 * independent ops in parallel.
 */
public final class EngineThreads {

    private static final String INTRA_OP = "ai.djl.pytorch.num_threads";
    private static final String INTER_OP = "ai.djl.pytorch.num_interop_threads";

    private EngineThreads() {}

    /** Applies the settings and starts the engine; returns the intra-op threads now in effect. */
    public static int configure(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        DenormalFlush.ensureEnabled();
        MallocRetention.enable();
        System.setProperty(INTRA_OP, Integer.toString(threads));
        System.setProperty(INTER_OP, "1");
        Engine.getEngine("PyTorch");
        if (JniUtils.getNumThreads() != threads) {
            JniUtils.setNumThreads(threads); // the engine was already running (e.g. in-process tests)
        }
        return JniUtils.getNumThreads();
    }

    /**
     * {@code c1} when the JVM runs with the C1 compiler only ({@code -XX:TieredStopAtLevel=1}, as the
     * {@code ./kdflow} launcher starts bench), {@code tiered} otherwise.
     */
    public static String jit() {
        boolean c1 = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(argument -> argument.equals("-XX:TieredStopAtLevel=1"));
        return c1 ? "c1" : "tiered";
    }

    /** {@code OMP_WAIT_POLICY} as set in the environment, or {@code unset} (the fast choice for owned cores). */
    public static String ompWaitPolicy() {
        String policy = System.getenv("OMP_WAIT_POLICY");
        return policy == null || policy.isBlank() ? "unset" : policy.trim();
    }
}
