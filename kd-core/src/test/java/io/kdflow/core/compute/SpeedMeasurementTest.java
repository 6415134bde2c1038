package io.kdflow.core.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.tokenizer.HfTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Latency, throughput and the fixed-length greedy workload on the real bart-tiny and gpt2-tiny models. Only
 * shapes, orderings and monotonicity are asserted, never absolute times.
 */
class SpeedMeasurementTest {

    @TempDir
    static Path temp;

    private static NDManager manager;
    private static PretrainedModel bart;
    private static PretrainedModel gpt2;

    @BeforeAll
    static void load() throws IOException {
        manager = NDManager.newBaseManager();
        bart = PretrainedModels.load(HfTiny.copyModel(HfTiny.BART, temp), manager);
        gpt2 = PretrainedModels.load(HfTiny.copyModel(HfTiny.GPT2, temp), manager);
    }

    @AfterAll
    static void close() {
        bart.close();
        gpt2.close();
        manager.close();
    }

    @Test
    void shouldFollowTransformersGreedyUntilEosAndThenKeepGoing() throws IOException {
        JsonNode bartMeta;
        try (InputStream in = SpeedMeasurementTest.class.getClassLoader().getResourceAsStream("hf-tiny/meta.json")) {
            bartMeta = new ObjectMapper().readTree(in).get("models").get(HfTiny.BART);
        }
        String text = bartMeta.get("test_texts").get(0).asText();
        long[] expected = longs(bartMeta.get("generate").get("greedy").get("sequences").get(0)); // start ... eos
        long[] source;
        try (HfTokenizer tokenizer = HfTokenizer.load(temp.resolve(HfTiny.BART))) {
            source = tokenizer.encode(text);
        }
        int beforeEos = expected.length - 2;

        long[] generated = FixedLengthGreedy.generate(bart, source, 1, source.length, beforeEos + 5);

        assertThat(generated).hasSize(beforeEos + 5);
        assertThat(Arrays.copyOf(generated, beforeEos)).containsExactly(Arrays.copyOfRange(expected, 1, 1 + beforeEos));
        assertThat(generated).as("end-of-sequence is suppressed").doesNotContain(2L);
    }

    @Test
    void shouldGenerateExactlyTheRequestedTokensForEveryRow() {
        long filler = SyntheticInputs.fillerToken(gpt2.config());
        long[] generated = FixedLengthGreedy.generate(gpt2, SyntheticInputs.repeated(filler, 3, 4), 3, 4, 7);

        assertThat(generated).hasSize(3 * 7);
        assertThat(Arrays.copyOfRange(generated, 0, 7)).as("identical rows generate identically")
                .containsExactly(Arrays.copyOfRange(generated, 14, 21));
        assertThat(generated).doesNotContain((long) gpt2.config().specialTokens().firstEos());
    }

    @Test
    void shouldReportOrderedLatencyStatisticsThatGrowWithTheOutputLength() {
        LatencyResult short1 = LatencyBenchmark.measure(bart, new LatencySettings(8, 1, 2, 9));
        LatencyResult long24 = LatencyBenchmark.measure(bart, new LatencySettings(8, 24, 2, 9));

        for (LatencyResult result : new LatencyResult[] {short1, long24}) {
            assertThat(result.callMillis()).hasSize(9).allSatisfy(ms -> assertThat(ms).isPositive());
            assertThat(result.p90Millis()).isGreaterThanOrEqualTo(result.medianMillis());
            assertThat(result.medianMillis()).isBetween(min(result), max(result));
            assertThat(result.estimatedPeakBytes()).isPositive();
            result.peakRssDeltaBytes().ifPresent(bytes -> assertThat(bytes).isNotNegative());
        }
        assertThat(long24.medianMillis()).as("24 new tokens are not faster than 1").isGreaterThan(short1.medianMillis());
        assertThat(long24.estimatedPeakBytes()).isGreaterThan(short1.estimatedPeakBytes());
    }

    @Test
    void shouldMeasureThroughputAtTheLargestBatchUnderTheCap() {
        long capForFive = GenerationMemory.bytes(bart.config(), 5, 8, 4);
        ThroughputResult result = ThroughputBenchmark.measure(bart, new ThroughputSettings(8, 4, capForFive, 64, 3));

        assertThat(result.batchSize()).isEqualTo(5);
        assertThat(result.estimatedBytes()).isEqualTo(capForFive);
        assertThat(result.examplesPerMinute()).isPositive().isFinite()
                .isEqualTo(5 * 60_000.0 / result.medianCallMillis());
        assertThat(ThroughputBenchmark.batchSize(bart.config(), new ThroughputSettings(8, 4, capForFive - 1, 64, 1)))
                .isEqualTo(4);
        assertThat(ThroughputBenchmark.batchSize(bart.config(), new ThroughputSettings(8, 4, Long.MAX_VALUE / 8, 64, 1)))
                .as("maxBatch bounds the search").isEqualTo(64);
        assertThatThrownBy(() -> ThroughputBenchmark.measure(bart, new ThroughputSettings(8, 4, 1000, 64, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("above the memory cap of 1000 bytes");
    }

    private static double min(LatencyResult result) {
        return result.callMillis().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    private static double max(LatencyResult result) {
        return result.callMillis().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    private static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asLong();
        }
        return values;
    }
}
