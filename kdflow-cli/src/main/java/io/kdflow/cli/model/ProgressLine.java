package io.kdflow.cli.model;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a long command on stderr: at most one line per interval with done/total, rate and ETA,
 * and a last line when everything is done. Plain lines, not a redrawn bar, so logs and pipes stay
 * readable.
 */
public final class ProgressLine {

    private final String label;
    private final String unit;
    private final int total;
    private final PrintWriter err;
    private final long intervalNanos;
    private final long start;
    private long lastPrint;
    private int done;

    public ProgressLine(String label, String unit, int total, PrintWriter err, double intervalSeconds) {
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.err = err;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
        this.start = System.nanoTime();
        this.lastPrint = start;
    }

    public synchronized void advance(int count) {
        done += count;
        long now = System.nanoTime();
        if (done < total && now - lastPrint >= intervalNanos) {
            lastPrint = now;
            double rate = done / seconds(now);
            err.printf(Locale.ROOT, "%s: %d/%d %s (%.1f%%), %.2f %s/s, ETA %s%n", label, done, total, unit,
                    100.0 * done / total, rate, unit, duration((total - done) / rate));
            err.flush();
        }
    }

    public synchronized void finish() {
        double elapsed = seconds(System.nanoTime());
        err.printf(Locale.ROOT, "%s: %d/%d %s in %s (%.2f %s/s)%n", label, done, total, unit, precise(elapsed),
                elapsed > 0 ? done / elapsed : 0.0, unit);
        err.flush();
    }

    /** The last line with the tokens the work produced and their rate, e.g. the new tokens of {@code generate}. */
    public synchronized void finish(long tokens, String tokenUnit) {
        double elapsed = seconds(System.nanoTime());
        double perSecond = elapsed > 0 ? 1 / elapsed : 0.0;
        err.printf(Locale.ROOT, "%s: %d/%d %s in %s (%.2f %s/s, %d %s, %.1f %s/s)%n", label, done, total, unit,
                precise(elapsed), done * perSecond, unit, tokens, tokenUnit, tokens * perSecond, tokenUnit);
        err.flush();
    }

    /** Seconds with two decimals under a minute (short runs are the ones people compare), else as {@link #duration}. */
    static String precise(double seconds) {
        return seconds < 60 ? String.format(Locale.ROOT, "%.2fs", seconds) : duration(seconds);
    }

    private double seconds(long now) {
        return (now - start) / 1e9;
    }

    /** Whole seconds under a minute, then minutes and seconds, then hours and minutes: "42s", "2m05s", "2h02m". */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }
}
