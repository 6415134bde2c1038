package io.kdflow.cli.report;

import io.kdflow.core.eval.GapClosed;
import io.kdflow.core.eval.MetricNames;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a report says about one job: the best checkpoint of every model on the selection metric, and the
 * comparisons drawn from them.
 *
 * @param job the job's name
 * @param selectionMetric the metric that chose the checkpoints and that the gap closed is measured on
 * @param models the best checkpoint of every model: teachers, then students, then student baselines, each
 *     group best first
 * @param splits every split the chosen checkpoints were evaluated on, the selection split first
 * @param notes one sentence per thing a reader should know (a comparison that could not be made and why)
 */
public record JobSummary(String job, String selectionMetric, List<Checkpoint> models, List<String> splits,
        List<String> notes) {

    public JobSummary {
        models = List.copyOf(models);
        splits = List.copyOf(splits);
        notes = List.copyOf(notes);
    }

    /** The best teacher checkpoint, the reference of speed-ups and of the gap closed. */
    public Optional<Checkpoint> teacher() {
        return bestOf(EvalRole.TEACHER);
    }

    /** The best distilled student checkpoint: the job's result. */
    public Optional<Checkpoint> bestStudent() {
        return bestOf(EvalRole.STUDENT);
    }

    /** The best gold-only student checkpoint, the "S" of the gap closed. */
    public Optional<Checkpoint> studentBaseline() {
        return bestOf(EvalRole.STUDENT_BASELINE);
    }

    /** The gap {@code student} closes on {@code split}; empty without teacher or baseline, or when T == S. */
    public OptionalDouble gapClosedPct(Checkpoint student, String split) {
        if (teacher().isEmpty() || studentBaseline().isEmpty()) {
            return OptionalDouble.empty();
        }
        Double gap = GapClosed.of(onSplit(student, split), onSplit(teacher().get(), split),
                onSplit(studentBaseline().get(), split), List.of(selectionMetric))
                .get(MetricNames.GAP_CLOSED_PREFIX + selectionMetric);
        return gap == null ? OptionalDouble.empty() : OptionalDouble.of(gap);
    }

    private static Map<String, Double> onSplit(Checkpoint checkpoint, String split) {
        return checkpoint.metricsBySplit().getOrDefault(split, Map.of());
    }

    /** Teacher latency over {@code checkpoint}'s latency (p50) on {@code split}; empty when either is missing. */
    public OptionalDouble speedupVsTeacher(Checkpoint checkpoint, String split) {
        Optional<Checkpoint> teacher = teacher();
        if (teacher.isEmpty()) {
            return OptionalDouble.empty();
        }
        OptionalDouble teacherLatency = teacher.get().metric(split, MetricNames.LATENCY_MS_P50);
        OptionalDouble latency = checkpoint.metric(split, MetricNames.LATENCY_MS_P50);
        if (teacherLatency.isEmpty() || latency.isEmpty() || latency.getAsDouble() <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(teacherLatency.getAsDouble() / latency.getAsDouble());
    }

    private Optional<Checkpoint> bestOf(EvalRole role) {
        return models.stream().filter(model -> model.role() == role).findFirst();
    }
}
