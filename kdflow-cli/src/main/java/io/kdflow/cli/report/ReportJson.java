package io.kdflow.cli.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.BiFunction;

/** The content of report.json as ordered maps (docs/reports.md describes every key). */
final class ReportJson {

    /** Bumped when a key changes meaning or disappears; readers check it. */
    static final String FORMAT = "kdflow-report/1";

    private ReportJson() {
    }

    static Map<String, Object> of(RunReport report, Map<String, List<PlotFile>> plotsByJob) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        Map<String, Object> selection = new LinkedHashMap<>();
        selection.put("metric", report.options().selectionMetric());
        selection.put("split", report.options().selectionSplit());
        selection.put("higher_is_better", report.options().higherIsBetter());
        json.put("selection", selection);
        List<Object> jobs = new ArrayList<>();
        for (JobSummary job : report.jobs()) {
            jobs.add(jobJson(job, plotsByJob.getOrDefault(job.job(), List.of())));
        }
        json.put("jobs", jobs);
        json.put("points", report.points().stream().map(ReportJson::pointJson).toList());
        return json;
    }

    private static Map<String, Object> jobJson(JobSummary job, List<PlotFile> plots) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("job", job.job());
        json.put("teacher", checkpointJson(job, job.teacher()));
        json.put("best_student", checkpointJson(job, job.bestStudent()));
        json.put("student_baseline", checkpointJson(job, job.studentBaseline()));
        json.put("gap_closed_pct", job.bestStudent().map(best -> bySplit(job, best, job::gapClosedPct)).orElse(null));
        json.put("models", job.models().stream().map(model -> checkpointJson(job, Optional.of(model))).toList());
        json.put("plots", plots.stream().map(PlotFile::relativePath).toList());
        json.put("notes", job.notes());
        return json;
    }

    private static Map<String, Object> checkpointJson(JobSummary job, Optional<Checkpoint> checkpoint) {
        if (checkpoint.isEmpty()) {
            return null;
        }
        Checkpoint model = checkpoint.get();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model.model());
        json.put("role", model.role().fileName());
        json.put("step", model.step());
        json.put("metrics", model.metricsBySplit());
        json.put("speedup_vs_teacher", bySplit(job, model, job::speedupVsTeacher));
        if (model.role() == EvalRole.STUDENT) {
            json.put("gap_closed_pct", bySplit(job, model, job::gapClosedPct));
        }
        return json;
    }

    /** A derived value on every split of the checkpoint, null where it cannot be computed. */
    private static Map<String, Double> bySplit(JobSummary job, Checkpoint model,
            BiFunction<Checkpoint, String, OptionalDouble> value) {
        Map<String, Double> json = new LinkedHashMap<>();
        for (String split : model.metricsBySplit().keySet()) {
            OptionalDouble v = value.apply(model, split);
            json.put(split, v.isPresent() ? v.getAsDouble() : null);
        }
        return json;
    }

    private static Map<String, Object> pointJson(EvalPoint point) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("job", point.job());
        json.put("model", point.model());
        json.put("role", point.role().fileName());
        json.put("step", point.step());
        json.put("split", point.split());
        json.put("metrics", point.metrics());
        return json;
    }
}
