package io.kdflow.cli;

import java.util.concurrent.Callable;

/**
 * A command listed in docs/cli.md whose implementation has not landed yet. It says which work brings it and
 * exits with {@link #EXIT_NOT_AVAILABLE}, so scripts can tell "not built" apart from "failed".
 */
abstract class PendingCommand implements Callable<Integer> {

    static final int EXIT_NOT_AVAILABLE = 3;

    /** Where the command comes from, e.g. "the distillation algorithms work (not filed yet)". */
    abstract String arrivesWith();

    @Override
    public Integer call() {
        String name = getClass().getAnnotation(picocli.CommandLine.Command.class).name();
        System.err.println("kdflow " + name + ": not available yet; it arrives with " + arrivesWith() + ".");
        return EXIT_NOT_AVAILABLE;
    }
}
