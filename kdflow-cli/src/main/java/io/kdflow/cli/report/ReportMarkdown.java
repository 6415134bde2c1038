package io.kdflow.cli.report;

import io.kdflow.core.eval.MetricNames;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.StringJoiner;

/** The content of report.md: per job a headline, one summary table per split, notes and the plots. */
final class ReportMarkdown {

    static final List<String> COLUMNS = List.of("model", "role", "step", "params", "BLEU", "ROUGE", "chrF", "NLL",
            "latency p50 (ms)", "speed-up vs teacher", "gap closed");

    private ReportMarkdown() {
    }

    static String of(RunReport report, Map<String, List<PlotFile>> plotsByJob) {
        StringBuilder md = new StringBuilder("# Run report\n\n");
        md.append("Checkpoints chosen on ").append(MetricNames.label(report.options().selectionMetric()))
                .append(" on ").append(report.options().selectionSplit())
                .append(report.options().higherIsBetter() ? " (higher is better)" : " (lower is better)")
                .append("; gap closed = (KD - S) / (T - S) on that metric.\n");
        for (JobSummary job : report.jobs()) {
            appendJob(md, job, plotsByJob.getOrDefault(job.job(), List.of()));
        }
        return md.toString();
    }

    private static void appendJob(StringBuilder md, JobSummary job, List<PlotFile> plots) {
        md.append("\n## Job ").append(job.job()).append("\n\n");
        job.bestStudent().ifPresent(best -> md.append(headline(job, best)).append("\n\n"));
        for (String split : job.splits()) {
            md.append("### ").append(split).append("\n\n");
            md.append(row(COLUMNS)).append(row(COLUMNS.stream().map(column -> "---").toList()));
            for (Checkpoint model : job.models()) {
                if (model.metricsBySplit().containsKey(split)) {
                    md.append(row(cells(job, model, split)));
                }
            }
            md.append("\n");
        }
        if (!job.notes().isEmpty()) {
            md.append("Notes:\n\n");
            job.notes().forEach(note -> md.append("- ").append(note).append("\n"));
            md.append("\n");
        }
        for (PlotFile plot : plots) {
            md.append("![").append(plot.title()).append("](").append(plot.relativePath()).append(")\n\n");
        }
    }

    private static String headline(JobSummary job, Checkpoint best) {
        String split = job.splits().get(0);
        String metric = job.selectionMetric();
        StringBuilder line = new StringBuilder("Best student: **").append(best.model()).append("** at step ")
                .append(best.step()).append(", ").append(MetricNames.label(metric)).append(' ')
                .append(ReportFormat.metric(best.metric(split, metric))).append(" on ").append(split);
        job.teacher().ifPresent(teacher -> line.append(" (teacher ").append(teacher.model()).append(": ")
                .append(ReportFormat.metric(teacher.metric(split, metric))).append(')'));
        OptionalDouble gap = job.gapClosedPct(best, split);
        if (gap.isPresent()) {
            line.append("; gap closed ").append(ReportFormat.percent(gap));
        }
        OptionalDouble speedup = job.speedupVsTeacher(best, split);
        if (speedup.isPresent()) {
            line.append("; ").append(ReportFormat.speedup(speedup)).append(" the teacher's speed");
        }
        return line.append('.').toString();
    }

    /** One table row, in the order of {@link #COLUMNS}. */
    static List<String> cells(JobSummary job, Checkpoint model, String split) {
        boolean best = job.bestStudent().filter(model::equals).isPresent();
        String role = model.role().fileName() + (best ? " (best)" : "");
        return List.of(model.model(), role, Long.toString(model.step()),
                ReportFormat.params(model.metric(split, MetricNames.PARAMS)),
                ReportFormat.metric(model.metric(split, MetricNames.BLEU)),
                ReportFormat.metric(model.metric(split, MetricNames.ROUGE)),
                ReportFormat.metric(model.metric(split, MetricNames.CHRF)),
                ReportFormat.metric(model.metric(split, MetricNames.NLL)),
                ReportFormat.latency(model.metric(split, MetricNames.LATENCY_MS_P50)),
                ReportFormat.speedup(job.speedupVsTeacher(model, split)),
                model.role() == EvalRole.STUDENT ? ReportFormat.percent(job.gapClosedPct(model, split))
                        : ReportFormat.MISSING);
    }

    private static String row(List<String> cells) {
        StringJoiner row = new StringJoiner(" | ", "| ", " |\n");
        cells.forEach(cell -> row.add(cell.replace("|", "\\|")));
        return row.toString();
    }
}
