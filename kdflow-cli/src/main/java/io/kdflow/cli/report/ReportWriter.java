package io.kdflow.cli.report;

import io.kdflow.cli.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the report of a distillation run into its run directory: {@code report.json} (every point and a
 * summary per job), {@code report.md} (summary tables linking the plots) and PNG plots under
 * {@code plots/}. See docs/reports.md.
 */
public final class ReportWriter {

    public static final String JSON_FILE = "report.json";
    public static final String MARKDOWN_FILE = "report.md";

    private final ReportOptions options;

    public ReportWriter(ReportOptions options) {
        this.options = options;
    }

    /**
     * What was written.
     *
     * @param plots every plot, paths relative to the run directory
     */
    public record Written(Path json, Path markdown, List<PlotFile> plots, RunReport report) {
    }

    /**
     * Summarizes {@code points} and writes the report files into {@code runDir}, creating it when missing
     * and replacing earlier report files.
     *
     * @throws IllegalArgumentException when there are no points
     * @throws UserError when a file cannot be written
     */
    public Written write(Path runDir, List<EvalPoint> points) {
        RunReport report = RunReport.of(points, options);
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new UserError(runDir + ": cannot create the run directory: " + e);
        }
        ReportPlots plotter = new ReportPlots(options);
        Map<String, List<PlotFile>> plotsByJob = new LinkedHashMap<>();
        List<PlotFile> allPlots = new ArrayList<>();
        for (JobSummary job : report.jobs()) {
            List<PlotFile> plots = plotter.write(runDir, job, report.pointsOf(job.job()));
            plotsByJob.put(job.job(), plots);
            allPlots.addAll(plots);
        }
        Path json = runDir.resolve(JSON_FILE);
        PrettyJson.write(json, ReportJson.of(report, plotsByJob));
        Path markdown = runDir.resolve(MARKDOWN_FILE);
        PrettyJson.writeText(markdown, ReportMarkdown.of(report, plotsByJob));
        return new Written(json, markdown, List.copyOf(allPlots), report);
    }
}
