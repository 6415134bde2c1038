package io.kdflow.core.model.nn;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns on flush-to-zero and denormals-are-zero (the SSE MXCSR bits) for the calling thread, through
 * glibc's {@code fegetenv}/{@code fesetenv}. Denormal floats make CPU matrix multiplies up to ~160x
 * slower, and libtorch offers no switch reachable from DJL.
 *
 * <p>libtorch's OpenMP workers copy the flags of the thread that starts them (at the first parallel
 * op), so a process should call this once before the engine's first real work; the model classes also
 * call it on entry of every forward pass. The flags must be checked on every call, not once per
 * thread: HotSpot resets MXCSR to its default whenever native code or reflection enters Java through
 * a call stub, and restores the caller's value on the way out.
 *
 * <p>Only glibc on x86-64 is handled; elsewhere this is a logged no-op. Java float code on the same
 * thread also flushes denormals afterwards, which no code here relies on.
 */
public final class DenormalFlush {

    private static final Logger LOG = LoggerFactory.getLogger(DenormalFlush.class);
    /** Offset of {@code __mxcsr} in glibc's x86-64 {@code fenv_t} (28 bytes of x87 state first). */
    private static final int MXCSR_OFFSET = 28;
    private static final int FENV_SIZE = 32;
    private static final int FLAGS = 0x8000 | 0x0040; // flush-to-zero | denormals-are-zero
    private static final Function GET;
    private static final Function SET;
    private static final ThreadLocal<Memory> ENV = ThreadLocal.withInitial(() -> new Memory(FENV_SIZE));
    private static volatile boolean warned;

    static {
        Function get = null;
        Function set = null;
        if (isLinuxX86()) {
            try {
                NativeLibrary libm = NativeLibrary.getInstance("m");
                get = libm.getFunction("fegetenv");
                set = libm.getFunction("fesetenv");
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("flush-to-zero unavailable: {}", e.toString());
            }
        }
        GET = get;
        SET = set;
    }

    private DenormalFlush() {}

    /** Sets the flags on this thread unless they are already set (a few microseconds). */
    public static void ensureEnabled() {
        if (GET == null) {
            if (!warned) {
                warned = true;
                LOG.info("flush-to-zero not set: only glibc on x86-64 is supported (os={}, arch={})",
                        System.getProperty("os.name"), System.getProperty("os.arch"));
            }
            return;
        }
        Memory env = ENV.get();
        if (GET.invokeInt(new Object[] {env}) != 0) {
            return;
        }
        int mxcsr = env.getInt(MXCSR_OFFSET);
        if ((mxcsr & FLAGS) != FLAGS) {
            env.setInt(MXCSR_OFFSET, mxcsr | FLAGS);
            SET.invokeInt(new Object[] {env});
        }
    }

    /** Whether the flags are set on this thread now. */
    public static boolean isEnabled() {
        if (GET == null) {
            return false;
        }
        Memory env = ENV.get();
        return GET.invokeInt(new Object[] {env}) == 0 && (env.getInt(MXCSR_OFFSET) & FLAGS) == FLAGS;
    }

    private static boolean isLinuxX86() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }
}
