package io.kdflow.cli.report;

import io.kdflow.core.eval.MetricNames;
import io.kdflow.cli.UserError;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a job's PNG plots with XChart: the selection metric over training steps (one line per student,
 * the teacher as a horizontal reference) and quality against latency (one point per model, the teacher
 * marked). Rendering is headless, so it works on servers and in CI.
 */
final class ReportPlots {

    static {
        // Before the first AWT class loads: there is no display on servers and CI machines.
        System.setProperty("java.awt.headless", "true");
    }

    static final String DIRECTORY = "plots";

    private static final Color TEACHER_COLOR = Color.BLACK;
    private static final Color[] MODEL_COLORS = {
        new Color(0x1F77B4), new Color(0xD62728), new Color(0x2CA02C), new Color(0xFF7F0E),
        new Color(0x9467BD), new Color(0x8C564B), new Color(0xE377C2), new Color(0x17BECF)
    };

    private final ReportOptions options;

    ReportPlots(ReportOptions options) {
        this.options = options;
    }

    /** Writes the plots of one job under {@code runDir/plots}; a plot without data is left out. */
    List<PlotFile> write(Path runDir, JobSummary summary, List<EvalPoint> jobPoints) {
        List<PlotFile> plots = new ArrayList<>();
        String stem = fileSafe(summary.job()) + "-" + fileSafe(options.selectionSplit()) + "-"
                + fileSafe(options.selectionMetric());
        Map<Checkpoint, Color> colors = colorsOf(summary);
        stepsChart(summary, jobPoints, colors).ifPresent(chart -> plots.add(save(runDir, chart,
                stem + "-over-steps.png")));
        latencyChart(summary, colors).ifPresent(chart -> plots.add(save(runDir, chart, stem + "-vs-latency.png")));
        return plots;
    }

    private Optional<XYChart> stepsChart(JobSummary summary, List<EvalPoint> jobPoints, Map<Checkpoint, Color> colors) {
        String metric = options.selectionMetric();
        XYChart chart = newChart(String.format("%s: %s on %s over training steps", summary.job(),
                MetricNames.label(metric), options.selectionSplit()), "training step", axisTitle());
        long minStep = Long.MAX_VALUE;
        long maxStep = Long.MIN_VALUE;
        for (Checkpoint model : summary.models()) {
            if (model.role() == EvalRole.TEACHER || model.role() == EvalRole.COPY_BASELINE) {
                continue; // one point each, not a curve over steps
            }
            List<EvalPoint> curve = jobPoints.stream()
                    .filter(point -> point.role() == model.role() && point.model().equals(model.model())
                            && point.split().equals(options.selectionSplit()) && point.metric(metric).isPresent())
                    .sorted(Comparator.comparingLong(EvalPoint::step))
                    .toList();
            double[] steps = curve.stream().mapToDouble(EvalPoint::step).toArray();
            double[] values = curve.stream().mapToDouble(point -> point.metric(metric).orElseThrow()).toArray();
            XYSeries series = chart.addSeries(seriesName(model), steps, values);
            series.setLineColor(colors.get(model));
            series.setMarkerColor(colors.get(model));
            series.setMarker(SeriesMarkers.CIRCLE);
            if (model.role() == EvalRole.STUDENT_BASELINE) {
                series.setLineStyle(SeriesLines.DASH_DOT);
            }
            minStep = Math.min(minStep, curve.get(0).step());
            maxStep = Math.max(maxStep, curve.get(curve.size() - 1).step());
        }
        if (chart.getSeriesMap().isEmpty()) {
            return Optional.empty();
        }
        Optional<Checkpoint> teacher = summary.teacher();
        if (teacher.isPresent()) {
            double value = teacher.get().metric(options.selectionSplit(), metric).orElseThrow();
            double right = maxStep > minStep ? maxStep : minStep + 1;
            XYSeries line = chart.addSeries(seriesName(teacher.get()) + " = " + ReportFormat.metric(value),
                    new double[] {minStep, right}, new double[] {value, value});
            line.setLineColor(TEACHER_COLOR);
            line.setLineStyle(SeriesLines.DASH_DASH);
            line.setMarker(SeriesMarkers.NONE);
        }
        return Optional.of(chart);
    }

    private Optional<XYChart> latencyChart(JobSummary summary, Map<Checkpoint, Color> colors) {
        String split = options.selectionSplit();
        XYChart chart = newChart(String.format("%s: %s vs latency on %s (best checkpoint of each model)",
                summary.job(), MetricNames.label(options.selectionMetric()), split),
                MetricNames.label(MetricNames.LATENCY_MS_P50), axisTitle());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(14);
        for (Checkpoint model : summary.models()) {
            OptionalDouble latency = model.metric(split, MetricNames.LATENCY_MS_P50);
            OptionalDouble quality = model.metric(split, options.selectionMetric());
            if (latency.isEmpty() || quality.isEmpty()) {
                continue;
            }
            XYSeries series = chart.addSeries(seriesName(model) + " @ step " + model.step(),
                    new double[] {latency.getAsDouble()}, new double[] {quality.getAsDouble()});
            series.setMarkerColor(colors.get(model));
            series.setMarker(switch (model.role()) {
                case TEACHER -> SeriesMarkers.DIAMOND;
                case STUDENT -> SeriesMarkers.CIRCLE;
                case STUDENT_BASELINE -> SeriesMarkers.SQUARE;
                case COPY_BASELINE -> SeriesMarkers.CROSS;
            });
        }
        return chart.getSeriesMap().isEmpty() ? Optional.empty() : Optional.of(chart);
    }

    private XYChart newChart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(options.plotWidth()).height(options.plotHeight())
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        Styler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendBorderColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xDDDDDD));
        // Metric values are scores (0-100) or times: two decimals read better than XChart's full precision.
        chart.getStyler().setYAxisDecimalPattern("#,##0.##");
        chart.getStyler().setXAxisDecimalPattern("#,##0.##");
        return chart;
    }

    private String axisTitle() {
        return MetricNames.label(options.selectionMetric()) + " (" + options.selectionSplit() + ")";
    }

    private static String seriesName(Checkpoint model) {
        return switch (model.role()) {
            case TEACHER -> "teacher " + model.model();
            case STUDENT -> model.model();
            case STUDENT_BASELINE -> model.model() + " (baseline)";
            case COPY_BASELINE -> model.model() + " (source as prediction)";
        };
    }

    /** One colour per model, the same in both plots; the teacher is black. */
    private static Map<Checkpoint, Color> colorsOf(JobSummary summary) {
        Map<Checkpoint, Color> colors = new LinkedHashMap<>();
        int next = 0;
        for (Checkpoint model : summary.models()) {
            colors.put(model, model.role() == EvalRole.TEACHER ? TEACHER_COLOR
                    : MODEL_COLORS[next++ % MODEL_COLORS.length]);
        }
        return colors;
    }

    /**
     * A one-row legend below the plot while it fits the chart's width, else one entry per line: a clipped
     * legend would hide which line is which.
     */
    private static void fitLegend(XYChart chart) {
        Styler styler = chart.getStyler();
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = scratch.createGraphics();
        try {
            FontMetrics metrics = graphics.getFontMetrics(styler.getLegendFont());
            int perEntry = styler.getLegendSeriesLineLength() + 4 * styler.getLegendPadding();
            int width = chart.getSeriesMap().keySet().stream()
                    .mapToInt(name -> metrics.stringWidth(name) + perEntry).sum();
            boolean fits = width + 2 * styler.getLegendPadding() <= chart.getWidth();
            styler.setLegendLayout(fits ? Styler.LegendLayout.Horizontal : Styler.LegendLayout.Vertical);
        } finally {
            graphics.dispose();
        }
    }

    private static PlotFile save(Path runDir, XYChart chart, String fileName) {
        fitLegend(chart);
        Path file = runDir.resolve(DIRECTORY).resolve(fileName);
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        } catch (IOException e) {
            throw new UserError(file + ": cannot write plot: " + e);
        }
        return new PlotFile(chart.getTitle(), DIRECTORY + "/" + fileName);
    }

    /** A name that is safe in a file name on every system: letters, digits, '.', '_' and '-'. */
    static String fileSafe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
