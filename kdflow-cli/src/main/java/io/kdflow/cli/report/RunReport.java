package io.kdflow.cli.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluation points of a run and the summary of each of its jobs.
 *
 * @param options how checkpoints were chosen
 * @param points every point, once: of several points for the same job, role, model, step and split the
 *     last one given wins (a re-delivered or re-run evaluation replaces the earlier one)
 * @param jobs one summary per job, in the order the jobs first appear among the points
 */
public record RunReport(ReportOptions options, List<EvalPoint> points, List<JobSummary> jobs) {

    public RunReport {
        points = List.copyOf(points);
        jobs = List.copyOf(jobs);
    }

    /**
     * Summarizes {@code points}.
     *
     * @throws IllegalArgumentException when there are no points
     */
    public static RunReport of(List<EvalPoint> points, ReportOptions options) {
        if (points == null || points.isEmpty()) {
            throw new IllegalArgumentException("no evaluation points to report");
        }
        Map<String, EvalPoint> unique = new LinkedHashMap<>();
        for (EvalPoint point : points) {
            unique.put(String.join("\u0000", point.job(), point.role().name(), point.model(),
                    Long.toString(point.step()), point.split()), point);
        }
        Map<String, List<EvalPoint>> byJob = new LinkedHashMap<>();
        for (EvalPoint point : unique.values()) {
            byJob.computeIfAbsent(point.job(), job -> new ArrayList<>()).add(point);
        }
        JobSummarizer summarizer = new JobSummarizer(options);
        List<JobSummary> jobs = byJob.entrySet().stream()
                .map(job -> summarizer.summarize(job.getKey(), job.getValue()))
                .toList();
        return new RunReport(options, List.copyOf(unique.values()), jobs);
    }

    /** The points of {@code job}. */
    public List<EvalPoint> pointsOf(String job) {
        return points.stream().filter(point -> point.job().equals(job)).toList();
    }
}
