package io.kdflow.core.model.nn;

import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns on flush-to-zero and denormals-are-zero (the SSE MXCSR bits) for the calling thread, through
 * glibc's {@code fegetenv}/{@code fesetenv}. Denormal floats make CPU matrix multiplies up to ~160x
 * slower, and libtorch offers no switch reachable from DJL. libtorch's OpenMP workers inherit the
 * flags from the thread that starts them, so this must run before the engine's first parallel op; the
 * model classes call it on entry of every thread that runs them.
 *
 * <p>Only glibc on x86-64 is handled; elsewhere this is a logged no-op. Java float code on the same
 * thread also flushes denormals afterwards, which no code here relies on.
 */
public final class DenormalFlush {

    private static final Logger LOG = LoggerFactory.getLogger(DenormalFlush.class);
    /** Offset of {@code __mxcsr} in glibc's x86-64 {@code fenv_t} (28 bytes of x87 state first). */
    private static final int MXCSR_OFFSET = 28;
    private static final int FENV_SIZE = 32;
    private static final int FLUSH_TO_ZERO = 0x8000;
    private static final int DENORMALS_ARE_ZERO = 0x0040;
    private static final boolean SUPPORTED = isLinuxX86();
    private static final ThreadLocal<Boolean> DONE = ThreadLocal.withInitial(() -> false);
    private static volatile boolean warned;

    private DenormalFlush() {}

    /** Sets the flags on this thread once; later calls on the same thread return at once. */
    public static void ensureEnabled() {
        if (DONE.get()) {
            return;
        }
        DONE.set(true);
        if (!SUPPORTED) {
            if (!warned) {
                warned = true;
                LOG.info("flush-to-zero not set: only glibc on x86-64 is supported (os={}, arch={})",
                        System.getProperty("os.name"), System.getProperty("os.arch"));
            }
            return;
        }
        try {
            NativeLibrary libm = NativeLibrary.getInstance("m");
            Memory env = new Memory(FENV_SIZE);
            if (libm.getFunction("fegetenv").invokeInt(new Object[] {env}) != 0) {
                throw new IllegalStateException("fegetenv failed");
            }
            env.setInt(MXCSR_OFFSET, env.getInt(MXCSR_OFFSET) | FLUSH_TO_ZERO | DENORMALS_ARE_ZERO);
            if (libm.getFunction("fesetenv").invokeInt(new Object[] {env}) != 0) {
                throw new IllegalStateException("fesetenv failed");
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("could not set flush-to-zero on thread {}: {}", Thread.currentThread().getName(), e.toString());
        }
    }

    private static boolean isLinuxX86() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }
}
