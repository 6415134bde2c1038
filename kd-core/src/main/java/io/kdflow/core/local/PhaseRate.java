package io.kdflow.core.local;

/** Turns "done of total" into a {@link LocalProgress.Update} with the phase's mean rate and ETA since it started. */
final class PhaseRate {

    private final String phase;
    private final String unit;
    private final long total;
    private final long doneAtStart;
    private final long started = System.nanoTime();
    private final LocalProgress progress;

    /** @param doneAtStart units already done when this process took the phase up (a resumed run) */
    PhaseRate(String phase, String unit, long total, long doneAtStart, LocalProgress progress) {
        this.phase = phase;
        this.unit = unit;
        this.total = total;
        this.doneAtStart = doneAtStart;
        this.progress = progress;
    }

    void update(long done, String detail) {
        double seconds = Math.max((System.nanoTime() - started) / 1e9, 1e-9);
        double rate = (done - doneAtStart) / seconds;
        double eta = rate > 0 ? Math.max(0, total - done) / rate : Double.NaN;
        progress.onProgress(new LocalProgress.Update(phase, done, total, unit, rate, eta, detail));
    }
}
