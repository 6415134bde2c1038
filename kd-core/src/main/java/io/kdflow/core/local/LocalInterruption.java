package io.kdflow.core.local;

/**
 * A run stopped on purpose after a number of optimizer steps of a phase ({@link LocalOptions#stopAfterSteps}):
 * what a crash leaves behind, without killing the process. Rerunning the job resumes from the last checkpoint.
 */
public final class LocalInterruption extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String phase;
    private final long steps;

    public LocalInterruption(String phase, long steps) {
        super("stopped " + phase + " after " + steps + " optimizer steps, as asked");
        this.phase = phase;
        this.steps = steps;
    }

    public String phase() {
        return phase;
    }

    public long steps() {
        return steps;
    }
}
