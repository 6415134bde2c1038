package io.kdflow.core.job;

import io.kdflow.core.error.BadInputException;

/**
 * Reads one optional JobSpec field: its default when unset, the value when it lies in the allowed range,
 * otherwise a {@link BadInputException} naming the field path, the value and the range, e.g.
 * {@code JobSpec.training.batch_size: 0 is not allowed (must be 1..4096)}.
 */
final class SpecField {

    private SpecField() {}

    static int integer(String path, boolean present, long value, int defaultValue, long min, long max) {
        if (!present) {
            return defaultValue;
        }
        if (value < min || value > max) {
            throw rejected(path, Long.toString(value), min + ".." + max);
        }
        return (int) value;
    }

    static long longInteger(String path, boolean present, long value, long defaultValue, long min, long max) {
        if (!present) {
            return defaultValue;
        }
        if (value < min || value > max) {
            throw rejected(path, Long.toUnsignedString(value), min + ".." + max);
        }
        return value;
    }

    /** A finite value in [min, max], or in (min, max] when {@code minExclusive}. */
    static double real(String path, boolean present, double value, double defaultValue, double min,
            boolean minExclusive, double max) {
        if (!present) {
            return defaultValue;
        }
        boolean aboveMin = minExclusive ? value > min : value >= min;
        if (!Double.isFinite(value) || !aboveMin || value > max) {
            throw rejected(path, Float.toString((float) value), (minExclusive ? "> " : ">= ") + min + " and <= " + max);
        }
        return value;
    }

    static BadInputException rejected(String path, String value, String allowed) {
        return new BadInputException(path + ": " + value + " is not allowed (must be " + allowed + ")");
    }
}
