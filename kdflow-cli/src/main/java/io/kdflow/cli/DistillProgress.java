package io.kdflow.cli;

import io.kdflow.cli.model.ProgressLine;
import io.kdflow.core.local.LocalProgress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress lines of {@code distill --local} on stderr: per phase at most one line a second with done/total,
 * rate and ETA, the last line of a phase always, and every note. Plain lines, so logs stay readable.
 */
final class DistillProgress implements LocalProgress {

    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final PrintWriter err;
    private String phase = "";
    private long lastPrint;

    DistillProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void onProgress(Update u) {
        long now = System.nanoTime();
        boolean newPhase = !u.phase().equals(phase);
        if (!newPhase && u.done() < u.total() && now - lastPrint < INTERVAL_NANOS) {
            return;
        }
        phase = u.phase();
        lastPrint = now;
        err.printf(Locale.ROOT, "%s: %d/%d %s (%.1f%%), %.2f %s/s, ETA %s%s%n", u.phase(), u.done(), u.total(),
                u.unit(), u.total() > 0 ? 100.0 * u.done() / u.total() : 100.0, u.perSecond(), u.unit(),
                eta(u.etaSeconds()), u.detail().isEmpty() ? "" : ", " + u.detail());
        err.flush();
    }

    @Override
    public void onNote(String message) {
        err.println(message);
        err.flush();
    }

    /** An ETA as the other progress lines write it; "?" before a rate is known. */
    static String eta(double seconds) {
        return Double.isFinite(seconds) ? ProgressLine.duration(seconds) : "?";
    }
}
