package io.kdflow.cli.report;

import io.kdflow.core.eval.CheckpointSelection;
import io.kdflow.core.eval.MetricNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * Chooses the best checkpoint of every model of one job with kd-core's {@link CheckpointSelection} (the
 * evaluator's rule: best value on the selection metric and split, earliest step on a tie).
 */
final class JobSummarizer {

    private final ReportOptions options;
    private final CheckpointSelection selection;
    private final Comparator<EvalPoint> bestFirst;

    JobSummarizer(ReportOptions options) {
        this.options = options;
        this.selection = new CheckpointSelection(options.selectionMetric(), options.selectionSplit());
        this.bestFirst = selection.bestFirst(EvalPoint::step, JobSummarizer::bySplit).thenComparing(EvalPoint::model);
    }

    /** Summarizes {@code points}, all of job {@code job} and free of duplicates. */
    JobSummary summarize(String job, List<EvalPoint> points) {
        List<String> notes = new ArrayList<>();
        Map<String, List<EvalPoint>> byModel = new LinkedHashMap<>();
        for (EvalPoint point : points) {
            byModel.computeIfAbsent(point.role().fileName() + "/" + point.model(), key -> new ArrayList<>()).add(point);
        }
        List<EvalPoint> bestPoints = new ArrayList<>();
        List<EvalPoint> copyBaselines = new ArrayList<>();
        for (List<EvalPoint> modelPoints : byModel.values()) {
            Optional<EvalPoint> best = selection.best(modelPoints, EvalPoint::step, JobSummarizer::bySplit);
            EvalPoint first = modelPoints.get(0);
            if (best.isEmpty() && first.role() == EvalRole.COPY_BASELINE) {
                // no checkpoints to choose from, and a copied source has no NLL: its selection-split point as is
                copyBaselines.add(modelPoints.stream().filter(p -> p.split().equals(options.selectionSplit()))
                        .findFirst().orElse(first));
                continue;
            }
            best.ifPresentOrElse(bestPoints::add, () -> notes.add(String.format(Locale.ROOT,
                    "%s (%s) has no %s on %s and is left out of the summary.", first.model(),
                    first.role().fileName(), options.selectionMetric(), options.selectionSplit())));
        }
        bestPoints.sort(Comparator.comparing(EvalPoint::role).thenComparing(bestFirst));
        bestPoints.addAll(copyBaselines);
        List<Checkpoint> models = bestPoints.stream().map(best -> checkpointOf(best, points)).toList();
        List<String> splits = splitsOf(models);
        JobSummary summary = new JobSummary(job, options.selectionMetric(), models, splits, notes);
        notes.addAll(comparisonNotes(summary));
        return new JobSummary(job, options.selectionMetric(), models, splits, notes);
    }

    private static Map<String, Map<String, Double>> bySplit(EvalPoint point) {
        return Map.of(point.split(), point.metrics());
    }

    /** The chosen checkpoint with its metrics on every split (same model, role and step). */
    private Checkpoint checkpointOf(EvalPoint best, List<EvalPoint> points) {
        Map<String, Map<String, Double>> bySplit = new LinkedHashMap<>();
        bySplit.put(best.split(), best.metrics());
        points.stream()
                .filter(point -> point.role() == best.role() && point.model().equals(best.model())
                        && point.step() == best.step() && !point.split().equals(best.split()))
                .sorted(Comparator.comparing(EvalPoint::split))
                .forEach(point -> bySplit.put(point.split(), point.metrics()));
        return new Checkpoint(best.model(), best.role(), best.step(), bySplit);
    }

    private List<String> splitsOf(List<Checkpoint> models) {
        Set<String> others = new TreeSet<>();
        models.forEach(model -> others.addAll(model.metricsBySplit().keySet()));
        Set<String> ordered = new LinkedHashSet<>();
        ordered.add(options.selectionSplit());
        ordered.addAll(others);
        return List.copyOf(ordered);
    }

    private List<String> comparisonNotes(JobSummary summary) {
        String metric = options.selectionMetric();
        String split = options.selectionSplit();
        List<String> notes = new ArrayList<>();
        if (summary.teacher().isEmpty()) {
            notes.add("No teacher has " + metric + " on " + split + ": speed-ups and the gap closed are not computed.");
        }
        if (summary.bestStudent().isEmpty()) {
            notes.add("No student has " + metric + " on " + split + ": there is no best student.");
        } else if (summary.studentBaseline().isEmpty()) {
            notes.add("No student_baseline has " + metric + " on " + split + ": the gap closed is not computed.");
        }
        if (summary.teacher().isEmpty() || summary.studentBaseline().isEmpty()) {
            return notes;
        }
        for (String each : summary.splits()) {
            OptionalDouble t = summary.teacher().get().metric(each, metric);
            OptionalDouble s = summary.studentBaseline().get().metric(each, metric);
            if (t.isPresent() && s.isPresent() && t.getAsDouble() == s.getAsDouble()) {
                notes.add(String.format(Locale.ROOT, "The gap closed on %s is undefined: teacher and"
                        + " student_baseline both have %s %s.", each, MetricNames.label(metric),
                        ReportFormat.metric(t.getAsDouble())));
            }
        }
        return notes;
    }
}
