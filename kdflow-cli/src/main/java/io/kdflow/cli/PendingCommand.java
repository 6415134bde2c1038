package io.kdflow.cli;

import java.util.concurrent.Callable;

/**
 * A command of DESIGN.md whose implementation has not landed yet. It says which issue brings it and
 * exits with {@link #EXIT_NOT_AVAILABLE}, so scripts can tell "not built" apart from "failed".
 */
abstract class PendingCommand implements Callable<Integer> {

    static final int EXIT_NOT_AVAILABLE = 3;

    /** Where the command comes from, e.g. "issue #3 (model engine)". */
    abstract String arrivesWith();

    @Override
    public Integer call() {
        String name = getClass().getAnnotation(picocli.CommandLine.Command.class).name();
        System.err.println("kdflow " + name + ": not available yet; it arrives with " + arrivesWith() + ".");
        return EXIT_NOT_AVAILABLE;
    }
}
