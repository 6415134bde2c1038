package io.kdflow.core.study;

import io.kdflow.core.eval.GapClosed;
import io.kdflow.core.eval.MetricNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The paper's two stage scores (PAPER-SPEC section 1, after [review]): the fraction of the teacher-student gap a
 * student closes, averaged over the metrics, and the wins, one per metric to the best option of the stage.
 */
public final class StageScores {

    /** The paper's metrics that kdflow computes (BERTScore needs a DeBERTa model this project does not ship). */
    public static final List<String> METRICS = List.of(MetricNames.BLEU, MetricNames.ROUGE, MetricNames.NLL);

    private StageScores() {}

    /**
     * The mean over {@code metrics} of 100 (KD - S) / (T - S) ({@link GapClosed}, which flips with the direction
     * of the metric); metrics where a model lacks the value or T == S are left out; empty when none is left.
     */
    public static OptionalDouble meanGapClosed(Map<String, Double> student, Map<String, Double> baseline,
            Map<String, Double> teacher, Collection<String> metrics) {
        List<Double> gaps = new ArrayList<>();
        for (String metric : metrics) {
            Double kd = student.get(metric);
            Double s = baseline.get(metric);
            Double t = teacher.get(metric);
            if (kd != null && s != null && t != null) {
                GapClosed.percent(kd, s, t).ifPresent(gaps::add);
            }
        }
        return gaps.stream().mapToDouble(Double::doubleValue).average();
    }

    /**
     * Wins of each option: for every metric, each option with the best value (higher or lower by
     * {@link MetricNames#direction}) gets one; tied options each get one; an option without the metric gets none.
     *
     * @param options each option's metrics, in the stage's order
     * @return the wins, in the same order
     */
    public static int[] wins(List<Map<String, Double>> options, Collection<String> metrics) {
        int[] wins = new int[options.size()];
        for (String metric : metrics) {
            boolean lower = MetricNames.lowerIsBetter(metric);
            OptionalDouble best = options.stream().filter(o -> o.get(metric) != null)
                    .mapToDouble(o -> lower ? -o.get(metric) : o.get(metric)).max();
            if (best.isEmpty()) {
                continue;
            }
            for (int i = 0; i < options.size(); i++) {
                Double value = options.get(i).get(metric);
                if (value != null && (lower ? -value : value) == best.getAsDouble()) {
                    wins[i]++;
                }
            }
        }
        return wins;
    }
}
