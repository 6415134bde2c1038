package io.kdflow.core.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The benchmark's sampling draws with the top-k / top-p distribution (exponential race instead of multinomial). */
class TopKTopPSamplingTest {

    private static final int DRAWS = 4000;

    @Test
    void shouldDrawInProportionToTheRenormalisedProbabilitiesOfTheNucleus() {
        // probabilities 0.5, 0.3, 0.15, 0.05: with p = 0.9 the nucleus is the first three (mass before
        // the fourth is 0.95 > 0.9), renormalised to 0.5/0.95, 0.3/0.95, 0.15/0.95
        float[] probs = {0.5f, 0.3f, 0.15f, 0.05f};
        int[] counts = draw(probs, 4, 0.9f);
        assertThat(counts[3]).isZero();
        assertThat(counts[0] / (double) DRAWS).isCloseTo(0.5 / 0.95, within(0.03));
        assertThat(counts[1] / (double) DRAWS).isCloseTo(0.3 / 0.95, within(0.03));
        assertThat(counts[2] / (double) DRAWS).isCloseTo(0.15 / 0.95, within(0.03));
    }

    @Test
    void shouldDrawOnlyAmongTheTopK() {
        float[] probs = {0.1f, 0.4f, 0.2f, 0.3f};
        int[] counts = draw(probs, 2, 1.0f);
        assertThat(counts[0]).isZero();
        assertThat(counts[2]).isZero();
        assertThat(counts[1] / (double) DRAWS).isCloseTo(0.4 / 0.7, within(0.03));
    }

    /** Draws DRAWS tokens from one row of logits log(probs), in one batch of DRAWS identical rows. */
    private static int[] draw(float[] probs, int topK, float topP) {
        Engine.getInstance().setRandomSeed(11);
        float[] logits = new float[DRAWS * probs.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.log(probs[i % probs.length]) + 3f; // any shift gives the same distribution
        }
        int[] counts = new int[probs.length];
        try (NDManager manager = NDManager.newBaseManager()) {
            TopKTopPSampling sampling = new TopKTopPSampling(topK, topP, manager);
            NDArray next = sampling.next(manager.create(logits, new Shape(DRAWS, probs.length)));
            assertThat(next.getShape()).isEqualTo(new Shape(DRAWS, 1));
            for (long id : next.toLongArray()) {
                counts[(int) id]++;
            }
        }
        return counts;
    }
}
