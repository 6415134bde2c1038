package io.kdflow.cli.report;

import java.util.Locale;
import java.util.OptionalDouble;

/** How numbers read in report.md and on plots; one place so that table and text agree. */
final class ReportFormat {

    static final String MISSING = "n/a";

    private ReportFormat() {
    }

    /** A quality metric or NLL: two decimals. */
    static String metric(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String metric(OptionalDouble value) {
        return value.isPresent() ? metric(value.getAsDouble()) : MISSING;
    }

    /** A latency in milliseconds: one decimal. */
    static String latency(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.1f", value.getAsDouble()) : MISSING;
    }

    /** A parameter count with an SI suffix: {@code 60.5M}, {@code 1.2B}, {@code 850K}. */
    static String params(OptionalDouble value) {
        if (value.isEmpty()) {
            return MISSING;
        }
        double count = value.getAsDouble();
        if (count >= 1e9) {
            return String.format(Locale.ROOT, "%.1fB", count / 1e9);
        }
        if (count >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", count / 1e6);
        }
        if (count >= 1e3) {
            return String.format(Locale.ROOT, "%.0fK", count / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", count);
    }

    /** A speed-up factor: {@code 3.20x}. */
    static String speedup(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.2fx", value.getAsDouble()) : MISSING;
    }

    /** A percentage: {@code 87.5%}. */
    static String percent(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.1f%%", value.getAsDouble()) : MISSING;
    }
}
