package io.kdflow.core.model.nn;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes glibc's malloc keep freed memory for reuse instead of handing it back to the kernel. libtorch
 * allocates every tensor with malloc; blocks above 32 MB (a (B, T, V) logits tensor, its gradient,
 * the log-softmax) always get fresh pages from mmap and are unmapped again when freed, so each training
 * step page-faults (and the kernel zeroes) some 180 MB anew: measured 9% of a BART-small step in the
 * kernel. With mmap off and a high trim threshold, the second step onwards reuses the heap: ~5x fewer
 * page faults, 6-10% faster steps, ~15% more resident memory.
 *
 * <p>For a process that owns its machine (a benchmark, a training pod); call it before the engine's
 * first real work. glibc only; elsewhere a logged no-op.
 */
public final class MallocRetention {

    private static final Logger LOG = LoggerFactory.getLogger(MallocRetention.class);
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_MMAP_MAX = -4;
    private static volatile boolean applied;

    private MallocRetention() {}

    /** Applies the settings once; returns whether they are in effect. */
    public static synchronized boolean enable() {
        if (applied) {
            return true;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            LOG.info("malloc retention not set: glibc only (os={})", os);
            return false;
        }
        try {
            Function mallopt = NativeLibrary.getInstance("c").getFunction("mallopt");
            boolean ok = mallopt.invokeInt(new Object[] {M_MMAP_MAX, 0}) == 1
                    && mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, Integer.MAX_VALUE}) == 1;
            applied = ok;
            if (!ok) {
                LOG.info("malloc retention not set: mallopt refused the settings");
            }
            return ok;
        } catch (RuntimeException | LinkageError e) {
            LOG.info("malloc retention not set (not glibc?): {}", e.toString());
            return false;
        }
    }

    /** Whether {@link #enable} succeeded in this process. */
    public static boolean isEnabled() {
        return applied;
    }
}
