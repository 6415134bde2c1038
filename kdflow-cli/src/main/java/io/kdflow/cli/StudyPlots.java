package io.kdflow.cli;

import io.kdflow.core.eval.MetricNames;
import io.kdflow.core.study.OptionResult;
import io.kdflow.core.study.StageResult;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * A stage's bar chart: dev and test mean gap closed per option (S3 to S8), or dev and test BLEU of the students
 * fine-tuned on gold (S1, S2), as {@code plots/<stage>.png}.
 */
final class StudyPlots {

    private StudyPlots() {}

    static Optional<Path> stage(Path dir, StageResult stage) {
        if (stage.options().isEmpty()) {
            return Optional.empty();
        }
        boolean gap = stage.stage().distills();
        List<String> names = new ArrayList<>();
        List<Double> dev = new ArrayList<>();
        List<Double> test = new ArrayList<>();
        for (OptionResult o : stage.options()) {
            names.add(o.run().option().label() + (o.run().option().id().equals(stage.chosen()) ? " *" : ""));
            dev.add(gap ? o.devGap().orElse(0) : o.dev().getOrDefault(MetricNames.BLEU, 0.0));
            test.add(gap ? o.testGap().orElse(0) : o.test().getOrDefault(MetricNames.BLEU, 0.0));
        }
        String what = gap ? "mean gap closed (%)" : "BLEU of the student fine-tuned on gold";
        CategoryChart chart = new CategoryChartBuilder().width(900).height(480)
                .title(stage.stage() + " " + stage.stage().title() + ": " + what + " (* chosen on dev)")
                .xAxisTitle("option").yAxisTitle(what).build();
        Styler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setSeriesColors(new Color[] {new Color(0x1f77b4), new Color(0xff7f0e)});
        chart.getStyler().setDecimalPattern("#0.0");
        chart.addSeries("dev", names, dev);
        chart.addSeries("test", names, test);
        Path file = dir.resolve(stage.stage().name() + ".png");
        try {
            Files.createDirectories(dir);
            try (OutputStream out = Files.newOutputStream(file)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return Optional.of(file);
    }
}
