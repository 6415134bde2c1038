package io.kdflow.core.eval;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The share of the teacher-student gap a distilled student closes (the paper's "fraction of the gap closed"):
 * 100 (KD - S) / (T - S), with T the teacher's and S the best student baseline's value. The one formula serves
 * both directions: when lower is better both differences change sign. A student between baseline and teacher
 * gives 0-100, one worse than the baseline a negative value, one better than the teacher more than 100.
 * Undefined when T == S: then it is absent (no {@code gap_closed_<m>} key, {@code null} or {@code n/a} in a report).
 */
public final class GapClosed {

    private GapClosed() {}

    /** The gap closed in percent; empty when the teacher and the baseline score the same. */
    public static OptionalDouble percent(double student, double baseline, double teacher) {
        if (teacher == baseline) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(100 * (student - baseline) / (teacher - baseline));
    }

    /**
     * {@code gap_closed_<m>} for every {@code m} of {@code metrics} that student, teacher and baseline all have
     * and where the gap is defined, in the order of {@code metrics}.
     */
    public static Map<String, Double> of(Map<String, Double> student, Map<String, Double> teacher,
            Map<String, Double> baseline, Collection<String> metrics) {
        Map<String, Double> gaps = new LinkedHashMap<>();
        for (String metric : metrics) {
            Double kd = student.get(metric);
            Double t = teacher.get(metric);
            Double s = baseline.get(metric);
            if (kd != null && t != null && s != null) {
                percent(kd, s, t).ifPresent(gap -> gaps.put(MetricNames.GAP_CLOSED_PREFIX + metric, gap));
            }
        }
        return gaps;
    }
}
