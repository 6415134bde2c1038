package io.kdflow.core.compute;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The process's resident set (JVM heap, native tensors, everything) from Linux {@code /proc/self}: the
 * measured counterpart of {@link GenerationMemory}. The peak (VmHWM) can be reset to the current RSS by
 * writing 5 to {@code clear_refs}. Process-wide, so other threads' allocations count too: a rough number.
 * Empty where {@code /proc} is not available.
 */
public final class ResidentMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ResidentMemory() {}

    /** Current resident bytes (VmRSS). */
    public static OptionalLong currentBytes() {
        return field("VmRSS:");
    }

    /** Peak resident bytes since start or the last {@link #resetPeak()} (VmHWM). */
    public static OptionalLong peakBytes() {
        return field("VmHWM:");
    }

    /** Resets the peak to the current RSS; false when the kernel does not allow it. */
    public static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static OptionalLong field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024); // reported in kB
                }
            }
            return OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
