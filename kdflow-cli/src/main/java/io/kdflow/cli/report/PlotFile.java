package io.kdflow.cli.report;

/**
 * A plot written for a report.
 *
 * @param title what the plot shows, used as its caption in report.md
 * @param relativePath where it is, relative to the run directory, with {@code /} separators
 */
public record PlotFile(String title, String relativePath) {
}
