package io.kdflow.core.model.nn;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the free memory glibc's malloc keeps in its heaps back to the kernel ({@code malloc_trim(0)}, every arena).
 * Each thread that allocates gets a malloc arena of its own, and tensors of ever new sizes leave holes there that
 * the arena keeps; short-lived worker threads ({@link io.kdflow.core.engine.DecodingWorkers}) leave such arenas
 * behind with nobody allocating from them. glibc only; elsewhere, and in a process that keeps freed memory on
 * purpose ({@link MallocRetention}), a no-op.
 */
public final class HeapTrim {

    private static final Logger LOG = LoggerFactory.getLogger(HeapTrim.class);
    private static final Function TRIM = lookup();

    private HeapTrim() {}

    /** Trims every arena; returns whether memory was handed back. */
    public static boolean trim() {
        if (TRIM == null || MallocRetention.isEnabled()) {
            return false;
        }
        return TRIM.invokeInt(new Object[] {0L}) == 1;
    }

    private static Function lookup() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        try {
            return NativeLibrary.getInstance("c").getFunction("malloc_trim");
        } catch (RuntimeException | LinkageError e) {
            LOG.info("malloc_trim unavailable (not glibc?): {}", e.toString());
            return null;
        }
    }
}
