package io.kdflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ./kdflow bench} on a micro config: one line with the documented keys (speed is never asserted). */
class BenchCommandTest {

    @Test
    void shouldPrintOneLineWithTheThroughputKeysAsPositiveNumbers() throws URISyntaxException {
        CommandRun run = CommandRun.of("bench", "--config", microConfig().toString(), "--batch", "2", "--src", "5",
                "--tgt", "4", "--steps", "1", "--threads", "1", "--mode", "train,sample,peak", "--peak-size", "64");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip().lines()).hasSize(1);
        Map<String, String> values = parse(run.out().strip());
        assertThat(values).containsKeys("params", "train_tokens_per_s", "sample_tokens_per_s", "train_step_s",
                "sample_s", "train_mfu", "matmul_peak_gflops_per_s");
        for (String key : new String[] {"params", "train_tokens_per_s", "sample_tokens_per_s", "train_step_s",
                "sample_s", "train_gflops_per_s", "train_mfu", "matmul_peak_gflops_per_s"}) {
            assertThat(Double.parseDouble(values.get(key))).as(key).isPositive();
        }
        // tied embeddings (64 x 16) + positions 2 x (34 x 16) + one encoder and one decoder layer + final_logits_bias
        assertThat(values.get("params")).isEqualTo(Long.toString(expectedMicroParams()));
        assertThat(values).containsEntry("threads", "1").containsEntry("batch", "2").containsEntry("tgt", "4");
        if (System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")
                && System.getProperty("os.arch").equals("amd64")) {
            assertThat(values).containsEntry("flush_denormal", "true").containsEntry("malloc_retain", "true");
        }
    }

    @Test
    void shouldMeasureOnlyTheRequestedMode() throws URISyntaxException {
        CommandRun run = CommandRun.of("bench", "--config", microConfig().toString(), "--batch", "1", "--src", "3",
                "--tgt", "2", "--threads", "1", "--mode", "sample");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Map<String, String> values = parse(run.out().strip());
        assertThat(values).containsKey("sample_tokens_per_s").doesNotContainKey("train_tokens_per_s")
                .doesNotContainKey("train_mfu");
    }

    @Test
    void shouldRejectAnUnknownModeAndAMissingConfigInOneLine() throws URISyntaxException {
        CommandRun badMode = CommandRun.of("bench", "--config", microConfig().toString(), "--mode", "train,fly");
        assertThat(badMode.exitCode()).isEqualTo(2);
        assertThat(badMode.err()).contains("unknown bench mode 'fly'").doesNotContain("Exception");

        CommandRun missing = CommandRun.of("bench", "--config", "no/such/config.json");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no/such/config.json").doesNotContain("\tat ");
    }

    private static long expectedMicroParams() {
        long e = 16;
        long ffn = 32;
        long attention = 4 * (e * e + e);
        long norm = 2 * e;
        long feedForward = e * ffn + ffn + ffn * e + e;
        long encoderLayer = attention + norm + feedForward + norm;
        long decoderLayer = 2 * attention + 3 * norm + feedForward;
        long embeddings = 64 * e + 2 * (34 * e) + 2 * norm;
        return embeddings + encoderLayer + decoderLayer + 64;
    }

    private static Path microConfig() throws URISyntaxException {
        return Path.of(BenchCommandTest.class.getResource("/bench/bart-micro.json").toURI());
    }

    private static Map<String, String> parse(String line) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : line.split(" ")) {
            int eq = pair.indexOf('=');
            assertThat(eq).as(pair).isPositive();
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return values;
    }
}
