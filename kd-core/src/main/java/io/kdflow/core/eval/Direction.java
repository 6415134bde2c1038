package io.kdflow.core.eval;

/** Which way a metric improves. */
public enum Direction {
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER;

    /** Whether {@code value} is strictly better than {@code than}. */
    public boolean isBetter(double value, double than) {
        return this == HIGHER_IS_BETTER ? value > than : value < than;
    }
}
