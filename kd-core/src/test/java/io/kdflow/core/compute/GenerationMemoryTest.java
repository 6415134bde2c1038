package io.kdflow.core.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.testing.SeededTries;
import org.junit.jupiter.api.Test;

/** The working-memory estimate by hand, its monotonicity, and the batch-size search over it. */
class GenerationMemoryTest {

    @Test
    void shouldMatchAHandCountForBart() {
        // tiny BART (d 8, 2 heads, FFN 16, 2 decoder layers, vocab 50), S = 3, T = 2, floats per row:
        long encoderLayer = 3 * 3 * 8 + 2 * 3 * 3 + 3 * 16 + 2 * 3 * 8;   // q/k/v, scores, FFN, 2 copies: 186
        long encoderOutput = 3 * 8;                                    // 24
        long kvCache = 2 * 2 * (2 + 3) * 8;                            // self (T) + cross (S), k and v: 160
        long step = 2 * 50 + 16 + 2 * 3 + 4 * 8;                       // logits twice, FFN, scores, widths: 154
        long floats = Math.max(encoderLayer + encoderOutput, encoderOutput + kvCache + step); // 338

        assertThat(GenerationMemory.bytes(TinyConfigs.bart(), 1, 3, 2)).isEqualTo(4 * floats).isEqualTo(1352);
        assertThat(GenerationMemory.bytes(TinyConfigs.bart(), 7, 3, 2)).isEqualTo(7 * 4 * floats);
    }

    @Test
    void shouldGrowWithBatchSourceAndTarget() {
        for (ModelConfig config : new ModelConfig[] {TinyConfigs.bart(), TinyConfigs.t5v11(), TinyConfigs.gpt2()}) {
            SeededTries.run(11, 200, random -> {
                int batch = 1 + random.nextInt(16);
                int s = 1 + random.nextInt(64);
                int t = 1 + random.nextInt(64);
                long base = GenerationMemory.bytes(config, batch, s, t);
                assertThat(GenerationMemory.bytes(config, batch + 1, s, t)).isGreaterThan(base);
                assertThat(GenerationMemory.bytes(config, batch, s + 1, t)).isGreaterThan(base);
                assertThat(GenerationMemory.bytes(config, batch, s, t + 1)).isGreaterThanOrEqualTo(base);
            });
        }
    }

    @Test
    void shouldFindTheLargestFittingBatchOfAnyGrowingMemoryFunction() {
        SeededTries.run(5, 500, random -> {
            long fixed = random.nextInt(1000);
            long perExample = 1 + random.nextInt(500);
            long jump = random.nextInt(3) == 0 ? random.nextInt(5000) : 0; // a step up past some batch
            int jumpAt = 1 + random.nextInt(100);
            int maxBatch = 1 + random.nextInt(200);
            java.util.function.IntToLongFunction memory = b -> fixed + b * perExample + (b >= jumpAt ? jump : 0);
            long cap = memory.applyAsLong(1) + random.nextInt(60_000);

            int found = BatchSizeSearch.largestFitting(memory, cap, maxBatch);

            int expected = 1;
            for (int b = 1; b <= maxBatch; b++) {
                if (memory.applyAsLong(b) <= cap) {
                    expected = b;
                }
            }
            assertThat(found).isEqualTo(expected);
        });
        assertThatThrownBy(() -> BatchSizeSearch.largestFitting(b -> 10L * b, 9, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one example needs about 10 bytes");
    }

    @Test
    void shouldSummariseSamples() {
        double[] samples = {5, 1, 4, 2, 3, 9, 8, 7, 6, 10};
        assertThat(Percentiles.median(samples)).isEqualTo(5.5);
        assertThat(Percentiles.nearestRank(samples, 90)).isEqualTo(9);
        assertThat(Percentiles.nearestRank(samples, 100)).isEqualTo(10);
        assertThat(Percentiles.median(new double[] {4, 1, 3})).isEqualTo(3);
        assertThat(Percentiles.nearestRank(new double[] {4}, 90)).isEqualTo(4);
    }
}
