package io.kdflow.cli.options;

import io.kdflow.core.engine.EngineSetup;
import io.kdflow.core.error.BadInputException;
import picocli.CommandLine.Option;

/** {@code --threads N}: libtorch's intra-op threads, applied by kd-core's {@link EngineSetup}. */
public final class ThreadsOption {

    @Option(names = "--threads", paramLabel = "N", description = "libtorch intra-op threads (default: all processors).")
    private Integer threads;

    /** The option's value, or null when not given. */
    public Integer threads() {
        return threads;
    }

    /** Sets libtorch up for a command sharing the machine; returns the intra-op threads in effect. */
    public int applyShared() {
        return EngineSetup.shared(checked()).apply();
    }

    /** Sets libtorch up for a process that owns the machine (bench); returns the intra-op threads in effect. */
    public int applyOwningMachine() {
        return EngineSetup.owningMachine(checked()).apply();
    }

    private Integer checked() {
        if (threads != null && threads < 1) {
            throw new BadInputException("--threads must be >= 1, got " + threads);
        }
        return threads;
    }
}
