package io.kdflow.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak's checks on sample series: drained, none dropped, memory bounded and flat; the CSV row and the plot. */
class SoakVerdictTest {

    private static final long EXPECTED = 300;

    /** A soak of 9 samples, one a minute: the backlog drains at minute 6, trainer RSS {@code rss[i]}. */
    private static List<SoakSample> samples(double... rss) {
        List<SoakSample> samples = new ArrayList<>();
        for (int i = 0; i < rss.length; i++) {
            long consumed = Math.min(EXPECTED, 50L * i);
            long inputs = Math.min(200, 40L * i);
            samples.add(new SoakSample(60.0 * i, rss[i], 500, 190, new ConsumerLag.Position(200, inputs),
                    new ConsumerLag.Position(Math.min(EXPECTED, 60L * i), consumed), i / 3, i >= 7));
        }
        return samples;
    }

    @Test
    void shouldPassAFlatBoundedDrainedSoak() {
        SoakVerdict verdict = new SoakVerdict(samples(200, 400, 600, 650, 640, 660, 650, 655, 650), EXPECTED, EXPECTED,
                1000, 10, Optional.empty());

        assertThat(verdict.drained()).isTrue();
        assertThat(verdict.noneDropped()).isTrue();
        assertThat(verdict.lastThirdMaxRssMb()).isEqualTo(655);
        assertThat(verdict.lastThirdSlopeMbPerMinute()).isEqualTo(0.0);
        assertThat(verdict.memoryBounded()).isTrue();
        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.drainSeconds()).hasValue(360.0);
        assertThat(verdict.lines()).contains(
                "samples: 9 over 480 s",
                "student-trainer RSS MiB min 200, median 650, max 660 (first 200, last 650)",
                "largest sampler lag 200 inputs, trainer lag 50 PT records",
                "drained (both lags 0, every PT record committed) after 360 s",
                "trainer's final KD student published after 420 s",
                "PASS drained at the end: sampler lag 0, trainer lag 0, PT records produced 300 of 300 expected",
                "PASS none dropped: 300 distinct PT records stored, 300 expected",
                "PASS trainer memory bounded: last third max 655 MiB (bound 1000), slope 0.0 MiB/min (allowed 10.0)",
                "PASS trained: the final KD student is in",
                "soak PASSED");
    }

    @Test
    void shouldFailAGrowingTrainer() {
        SoakVerdict verdict = new SoakVerdict(samples(200, 300, 400, 500, 600, 700, 800, 900, 1000), EXPECTED,
                EXPECTED, 2000, 10, Optional.empty());

        assertThat(verdict.lastThirdSlopeMbPerMinute()).isEqualTo(100.0);
        assertThat(verdict.memoryBounded()).isFalse();
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.lines()).contains("FAIL trainer memory bounded: last third max 1000 MiB (bound 2000), slope "
                + "100.0 MiB/min (allowed 10.0)", "soak FAILED");
    }

    @Test
    void shouldFailATrainerAboveTheBoundAndADroppedRecord() {
        SoakVerdict verdict = new SoakVerdict(samples(200, 400, 600, 650, 640, 660, 650, 655, 650), EXPECTED,
                EXPECTED - 1, 600, 10, Optional.empty());

        assertThat(verdict.memoryBounded()).isFalse();
        assertThat(verdict.noneDropped()).isFalse();
        assertThat(verdict.lines()).contains("FAIL none dropped: 299 distinct PT records stored, 300 expected");
    }

    @Test
    void shouldFailASoakThatDidNotDrain() {
        List<SoakSample> samples = new ArrayList<>(samples(200, 400, 600, 650, 640, 660, 650, 655, 650));
        SoakSample last = samples.get(8);
        samples.set(8, new SoakSample(last.seconds(), 650, 500, 190, new ConsumerLag.Position(200, 190),
                new ConsumerLag.Position(EXPECTED, EXPECTED - 20), 3, false));

        SoakVerdict verdict = new SoakVerdict(samples, EXPECTED, EXPECTED, 1000, 10, Optional.empty());

        assertThat(verdict.drained()).isFalse();
        assertThat(verdict.drainSeconds()).isEmpty();
        assertThat(verdict.lines()).contains("PASS none dropped: 300 distinct PT records stored, 300 expected",
                "FAIL drained at the end: sampler lag 10, trainer lag 20, PT records produced 300 of 300 expected");
    }

    @Test
    void shouldFailWhenTheRunFailed() {
        SoakVerdict verdict = new SoakVerdict(samples(200, 400, 600, 650, 640, 660, 650, 655, 650), EXPECTED, EXPECTED,
                1000, 10, Optional.of("trainer: training diverged at optimizer step 262"));

        assertThat(verdict.drained()).isTrue();
        assertThat(verdict.trained()).isFalse();
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.lines()).contains("FAIL trained: failed: trainer: training diverged at optimizer step 262",
                "soak FAILED");
    }

    @Test
    void shouldNeedThreeSamples() {
        assertThatThrownBy(() -> new SoakVerdict(samples(1, 2), EXPECTED, EXPECTED, 1000, 10,
                Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a verdict needs at least 3 samples, got 2");
    }

    @Test
    void shouldWriteCsvRowsInTheHeadersOrder() {
        SoakSample sample = samples(200, 400, 600, 650, 640, 660, 650, 655, 650).get(7);

        assertThat(SoakSample.csvHeader()).isEqualTo("seconds,trainer_rss_mb,sampler_rss_mb,teacher_rss_mb,"
                + "examples_produced,sampler_committed,sampler_lag,pts_produced,trainer_committed,trainer_lag,"
                + "student_checkpoints,trainer_done");
        assertThat(sample.csvRow()).isEqualTo("420.0,655.0,500.0,190.0,200,200,0,300,300,0,2,true");
    }

    @Test
    void shouldDrawMemoryAndLagIntoOnePng(@TempDir Path temp) throws IOException {
        Path png = temp.resolve("plots/soak.png");

        SoakPlot.write(png, samples(200, 400, 600, 650, 640, 660, 650, 655, 650), 1000, "test soak");

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(760);
    }
}
