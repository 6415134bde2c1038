package io.kdflow.core.metrics;

/**
 * One ROUGE variant's precision, recall and F1, as rouge-score's {@code Score}: in [0, 1] from {@link Rouge};
 * {@link TaskMetrics} reports corpus means of them scaled to 0-100.
 *
 * @param precision matches / prediction length
 * @param recall matches / reference length
 * @param fmeasure harmonic mean of precision and recall (0 when both are 0)
 */
public record RougeScore(double precision, double recall, double fmeasure) {

    /** The score of an empty prediction or reference. */
    public static final RougeScore ZERO = new RougeScore(0.0, 0.0, 0.0);

    /** rouge-score's {@code scoring.fmeasure}: F1, or 0 when precision and recall are both 0. */
    static RougeScore of(double precision, double recall) {
        double f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
        return new RougeScore(precision, recall, f);
    }
}
