package io.kdflow.cli.soak;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The soak's PNG: resident memory of the services over time (top) and the two consumer groups' lag (bottom), one
 * image of two XChart charts drawn headless.
 */
final class SoakPlot {

    static {
        // Before the first AWT class loads: there is no display on servers and CI machines.
        System.setProperty("java.awt.headless", "true");
    }

    private static final int WIDTH = 900;
    private static final int HEIGHT = 380;

    private SoakPlot() {}

    static void write(Path file, List<SoakSample> samples, double rssBoundMb, String title) {
        XYChart memory = chart(title + ": resident memory", "RSS (MiB)");
        series(memory, "student-trainer", samples, SoakSample::trainerRssMb, new Color(0xD62728));
        series(memory, "pt-sampler", samples, SoakSample::samplerRssMb, new Color(0x1F77B4));
        series(memory, "teacher-service", samples, SoakSample::teacherRssMb, new Color(0x7F7F7F));
        double[] bound = {samples.get(0).seconds() / 60, samples.get(samples.size() - 1).seconds() / 60};
        memory.addSeries("trainer bound", bound, new double[] {rssBoundMb, rssBoundMb})
                .setMarker(SeriesMarkers.NONE).setLineColor(Color.BLACK);
        XYChart lag = chart("consumer lag", "records not yet committed");
        series(lag, "pt-sampler on examples (inputs)", samples, s -> s.examples().lag(), new Color(0x1F77B4));
        series(lag, "student-trainer on pseudo-targets (PT records)", samples, s -> s.pts().lag(),
                new Color(0xD62728));
        BufferedImage image = new BufferedImage(WIDTH, 2 * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            memory.paint(graphics, WIDTH, HEIGHT);
            graphics.translate(0, HEIGHT);
            lag.paint(graphics, WIDTH, HEIGHT);
        } finally {
            graphics.dispose();
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("minutes since submission").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE).setChartBackgroundColor(Color.WHITE);
        return chart;
    }

    private static void series(XYChart chart, String name, List<SoakSample> samples, ToDoubleFunction<SoakSample> y,
            Color color) {
        List<SoakSample> present = samples.stream().filter(s -> y.applyAsDouble(s) >= 0).toList();
        if (present.isEmpty()) {
            return;
        }
        XYSeries series = chart.addSeries(name, present.stream().mapToDouble(s -> s.seconds() / 60).toArray(),
                present.stream().mapToDouble(y).toArray());
        series.setMarker(SeriesMarkers.NONE).setLineColor(color);
    }
}
