package io.kdflow.core.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * The warpers and the inverse-CDF draw on hand-made distributions. Evenly spaced uniforms turn draw
 * counts into exact probabilities: with N uniforms (i + 0.5) / N, a token of probability p is drawn
 * p x N times, up to rounding at the two ends of its interval.
 */
class TokenSamplerTest {

    private static final double[] PROBABILITIES = {0.125, 0.5, 0.125, 0.25}; // token 1 best, then 3

    @Test
    void shouldKeepTheSmallestSetOfMostLikelyTokensWhoseMassReachesTopP() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray sorted = manager.create(logs(0.5, 0.25, 0.125, 0.125), new Shape(1, 4));
            assertThat(kept(TokenSampler.nucleus(sorted, 0.3))).isEqualTo(1);   // 0.5 >= 0.3
            assertThat(kept(TokenSampler.nucleus(sorted, 0.74))).isEqualTo(2);  // 0.75 >= 0.74
            assertThat(kept(TokenSampler.nucleus(sorted, 0.76))).isEqualTo(3);  // 0.875 >= 0.76
            assertThat(kept(TokenSampler.nucleus(sorted, 0.9))).isEqualTo(4);
            assertThat(kept(TokenSampler.nucleus(sorted, 1.0))).isEqualTo(4);
            NDArray filtered = TokenSampler.nucleus(sorted, 0.74);
            assertThat(filtered.get(0, 1).getFloat()).isEqualTo((float) Math.log(0.25), org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void shouldDrawEachTokenInProportionToItsProbability() {
        assertThat(counts(new TokenSampler(1.0, 0, 1.0), 800)).containsExactly(100, 400, 100, 200);
    }

    @Test
    void shouldRenormaliseOverTheTopKTokens() {
        assertThat(counts(new TokenSampler(1.0, 2, 1.0), 900)).containsExactly(0, 600, 0, 300);
        assertThat(counts(new TokenSampler(1.0, 1, 1.0), 900)).containsExactly(0, 900, 0, 0);
    }

    @Test
    void shouldRenormaliseOverTheNucleus() {
        assertThat(counts(new TokenSampler(1.0, 0, 0.7), 900)).containsExactly(0, 600, 0, 300);
    }

    @Test
    void shouldScaleByTemperatureBeforeTopP() {
        // T = 0.5 squares the probabilities: 0.25 / 0.34375 = 0.727 for token 1 alone reaches top_p 0.7;
        // top-p first would have kept tokens 1 and 3
        assertThat(counts(new TokenSampler(0.5, 0, 0.7), 500)).containsExactly(0, 500, 0, 0);
        // T = 2 takes square roots: sqrt(p) / sum sqrt(p)
        int[] hot = counts(new TokenSampler(2.0, 0, 1.0), 100_000);
        double norm = 0;
        for (double p : PROBABILITIES) {
            norm += Math.sqrt(p);
        }
        for (int token = 0; token < 4; token++) {
            assertThat(hot[token]).isCloseTo((int) Math.round(100_000 * Math.sqrt(PROBABILITIES[token]) / norm),
                    org.assertj.core.data.Offset.offset(2));
        }
    }

    /** Draws from one row of PROBABILITIES with n evenly spaced uniforms. */
    private static int[] counts(TokenSampler sampler, int n) {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] row = logs(PROBABILITIES);
            float[] rows = new float[n * 4];
            double[] uniforms = new double[n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(row, 0, rows, i * 4, 4);
                uniforms[i] = (i + 0.5) / n;
            }
            long[] drawn = sampler.sample(manager.create(rows, new Shape(n, 4)), uniforms);
            int[] counts = new int[4];
            for (long token : drawn) {
                counts[(int) token]++;
            }
            return counts;
        }
    }

    private static int kept(NDArray filtered) {
        int count = 0;
        for (float value : filtered.toFloatArray()) {
            if (value != Float.NEGATIVE_INFINITY) {
                count++;
            }
        }
        return count;
    }

    private static float[] logs(double... probabilities) {
        float[] logs = new float[probabilities.length];
        for (int i = 0; i < logs.length; i++) {
            logs[i] = (float) Math.log(probabilities[i]);
        }
        return logs;
    }
}
