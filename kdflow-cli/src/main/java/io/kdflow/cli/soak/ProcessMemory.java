package io.kdflow.cli.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

/** A process's resident set size, from the {@code VmRSS} line of {@code /proc/<pid>/status} (Linux). */
final class ProcessMemory {

    private ProcessMemory() {}

    /**
     * Resident bytes of process {@code pid}; empty when the process is gone.
     *
     * @throws IllegalStateException when the status file has no VmRSS line (not Linux, or a kernel thread)
     */
    static OptionalLong rssBytes(long pid) {
        return rssBytes(Path.of("/proc", Long.toString(pid), "status"));
    }

    static OptionalLong rssBytes(Path statusFile) {
        try {
            for (String line : Files.readAllLines(statusFile)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                    if (parts.length != 2 || !parts[1].equals("kB")) {
                        throw new IllegalStateException(statusFile + ": unexpected VmRSS line '" + line + "'");
                    }
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
            throw new IllegalStateException(statusFile + " has no VmRSS line");
        } catch (NoSuchFileException gone) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + statusFile + ": " + e.getMessage(), e);
        }
    }
}
