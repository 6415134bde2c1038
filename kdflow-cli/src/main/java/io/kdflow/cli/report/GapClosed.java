package io.kdflow.cli.report;

import java.util.OptionalDouble;

/** The share of the teacher-baseline gap a distilled student closes: 100 * (KD - S) / (T - S). */
public final class GapClosed {

    private GapClosed() {
    }

    /**
     * The gap closed in percent. It works for either metric direction: a student between baseline and teacher
     * gives 0-100, one worse than the baseline a negative value, one better than the teacher more than 100.
     *
     * @return empty when the teacher and the baseline score the same, where the ratio is undefined
     */
    public static OptionalDouble percent(double student, double baseline, double teacher) {
        if (teacher == baseline) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(100 * (student - baseline) / (teacher - baseline));
    }
}
