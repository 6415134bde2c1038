package io.kdflow.evaluator.state;

import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.evaluator.evaluation.MetricNames;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Per job: the best checkpoint of each role on the dev selection metric, and the reference points of the
 * "gap closed": the teacher (T) and the best student baseline (S). Not thread-safe; the evaluation service
 * serialises access.
 */
public final class Leaderboard {

    /** The dev split's name in {@link ReportedCheckpoint#splits()}. */
    public static final String DEV = "dev";

    /** A role's best checkpoint so far. */
    public record Best(long step, String sha256, String metric, double value, Map<String, Map<String, Double>> splits) {}

    private final Map<String, Map<ModelRole, Best>> best = new HashMap<>();

    /**
     * Whether a checkpoint with these dev metrics would be the best of its role so far (strictly better; the
     * first checkpoint with the metric always is). False when the dev metrics lack the selection metric.
     */
    public boolean improves(String job, ModelRole role, String metric, Map<String, Double> devMetrics) {
        Double value = devMetrics.get(metric);
        if (value == null) {
            return false;
        }
        Best current = best.getOrDefault(job, Map.of()).get(role);
        if (current == null || !current.metric().equals(metric)) {
            return true;
        }
        return MetricNames.lowerIsBetter(metric) ? value < current.value() : value > current.value();
    }

    /** Records a reported checkpoint; it becomes its role's best when it was reported as best so far. */
    public void record(ReportedCheckpoint checkpoint) {
        if (!checkpoint.bestSoFar()) {
            return;
        }
        String metric = checkpoint.selectionMetric();
        Map<String, Double> dev = checkpoint.splits().getOrDefault(DEV, Map.of());
        Double value = dev.get(metric);
        if (value != null) {
            best.computeIfAbsent(checkpoint.job(), job -> new HashMap<>()).put(checkpoint.role(),
                    new Best(checkpoint.step(), checkpoint.sha256(), metric, value, checkpoint.splits()));
        }
    }

    public Optional<Best> best(String job, ModelRole role) {
        return Optional.ofNullable(best.getOrDefault(job, Map.of()).get(role));
    }

    /** Whether the job's teacher has been evaluated. */
    public boolean hasTeacher(String job) {
        return best(job, ModelRole.TEACHER).isPresent();
    }

    /**
     * {@code gap_closed_<metric>} = 100 (KD - S) / (T - S) for each of {@code metrics} that the student, the
     * teacher (T) and the best student baseline (S) all have on {@code split}; a metric with T = S is left out.
     * Empty without a teacher or a baseline.
     */
    public Map<String, Double> gapClosed(String job, String split, Map<String, Double> student, Set<String> metrics) {
        Map<String, Double> gaps = new LinkedHashMap<>();
        Optional<Best> teacher = best(job, ModelRole.TEACHER);
        Optional<Best> baseline = best(job, ModelRole.STUDENT_BASELINE);
        if (teacher.isEmpty() || baseline.isEmpty()) {
            return gaps;
        }
        Map<String, Double> t = teacher.get().splits().getOrDefault(split, Map.of());
        Map<String, Double> s = baseline.get().splits().getOrDefault(split, Map.of());
        for (String metric : metrics) {
            Double kd = student.get(metric);
            Double tv = t.get(metric);
            Double sv = s.get(metric);
            if (kd != null && tv != null && sv != null && !tv.equals(sv)) {
                gaps.put(MetricNames.GAP_CLOSED_PREFIX + metric, 100 * (kd - sv) / (tv - sv));
            }
        }
        return gaps;
    }
}
