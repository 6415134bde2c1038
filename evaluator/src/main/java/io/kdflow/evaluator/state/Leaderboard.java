package io.kdflow.evaluator.state;

import io.kdflow.core.eval.CheckpointSelection;
import io.kdflow.core.eval.GapClosed;
import io.kdflow.core.wire.proto.ModelRole;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per job and role, the checkpoints reported so far; kd-core's {@link CheckpointSelection} picks the best on the
 * dev selection metric (ties: earliest step) and {@link GapClosed} measures students against the teacher (T) and
 * the best student baseline (S). Not thread-safe; the evaluation service serialises access.
 */
public final class Leaderboard {

    /** The dev split's name in {@link ReportedCheckpoint#splits()}. */
    public static final String DEV = CheckpointSelection.DEV;

    /** A role's best checkpoint so far. */
    public record Best(long step, String sha256, String metric, double value, Map<String, Map<String, Double>> splits) {}

    private final Map<String, Map<ModelRole, List<ReportedCheckpoint>>> reported = new HashMap<>();

    /**
     * Whether a checkpoint at {@code step} with these dev metrics would be the best of its role: strictly better
     * than every reported one, or as good and earlier. False when the dev metrics lack the selection metric.
     */
    public boolean improves(String job, ModelRole role, long step, String metric, Map<String, Double> devMetrics) {
        ReportedCheckpoint candidate = new ReportedCheckpoint(job, role, step, "", "", Map.of(DEV, devMetrics), false,
                metric);
        List<ReportedCheckpoint> all = new ArrayList<>(of(job, role));
        all.add(candidate);
        return select(metric, all).filter(best -> best == candidate).isPresent();
    }

    /** Records a reported checkpoint: a candidate of its role from now on. */
    public void record(ReportedCheckpoint checkpoint) {
        reported.computeIfAbsent(checkpoint.job(), job -> new HashMap<>())
                .computeIfAbsent(checkpoint.role(), role -> new ArrayList<>()).add(checkpoint);
    }

    /** The role's best checkpoint on the selection metric its latest checkpoint was reported with. */
    public Optional<Best> best(String job, ModelRole role) {
        List<ReportedCheckpoint> checkpoints = of(job, role);
        if (checkpoints.isEmpty()) {
            return Optional.empty();
        }
        String metric = checkpoints.get(checkpoints.size() - 1).selectionMetric();
        return select(metric, checkpoints).map(best -> new Best(best.step(), best.sha256(), metric,
                best.splits().get(DEV).get(metric), best.splits()));
    }

    /** Whether the job's teacher has been evaluated. */
    public boolean hasTeacher(String job) {
        return !of(job, ModelRole.TEACHER).isEmpty();
    }

    /**
     * {@code gap_closed_<metric>} ({@link GapClosed#of}) of a student's metrics on {@code split} against the best
     * teacher and the best student baseline; empty without either.
     */
    public Map<String, Double> gapClosed(String job, String split, Map<String, Double> student,
            Collection<String> metrics) {
        Optional<Best> teacher = best(job, ModelRole.TEACHER);
        Optional<Best> baseline = best(job, ModelRole.STUDENT_BASELINE);
        if (teacher.isEmpty() || baseline.isEmpty()) {
            return new LinkedHashMap<>();
        }
        return GapClosed.of(student, teacher.get().splits().getOrDefault(split, Map.of()),
                baseline.get().splits().getOrDefault(split, Map.of()), metrics);
    }

    private List<ReportedCheckpoint> of(String job, ModelRole role) {
        return reported.getOrDefault(job, Map.of()).getOrDefault(role, List.of());
    }

    private static Optional<ReportedCheckpoint> select(String metric, List<ReportedCheckpoint> checkpoints) {
        return CheckpointSelection.onDev(metric).best(checkpoints, ReportedCheckpoint::step, ReportedCheckpoint::splits);
    }
}
