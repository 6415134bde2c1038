package io.kdflow.core.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** Dropout with masks drawn in Java: the rate, the 1/(1-p) scale, reproducible seeds, gradients through the mask. */
class DropoutTest {

    private static final Shape SHAPE = new Shape(8, 25, 501); // 100,200 elements, an even and an odd row length

    @Test
    void shouldDropTheRateAndScaleWhatItKeeps() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Dropout.seed(7);
            float[] out = Dropout.apply(manager.ones(SHAPE), 0.1, RunMode.TRAINING).toFloatArray();

            int dropped = 0;
            for (float value : out) {
                if (value == 0f) {
                    dropped++;
                } else {
                    assertThat(value).isEqualTo((float) (1 / 0.9));
                }
            }
            // binomial(100200, 0.1): standard deviation 95, so +-600 is more than 6 of them
            assertThat(dropped).isCloseTo(10_020, within(600));
            assertThat(out[out.length - 1]).as("the last (odd) element is drawn too").isIn(0f, (float) (1 / 0.9));
        }
    }

    @Test
    void shouldDrawTheSameMasksFromTheSameSeedAndOthersFromAnother() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.arange(1f, 1f + SHAPE.size()).reshape(SHAPE);
            Dropout.seed(11);
            float[] first = Dropout.apply(x, 0.3, RunMode.TRAINING).toFloatArray();
            float[] next = Dropout.apply(x, 0.3, RunMode.TRAINING).toFloatArray();
            Dropout.seed(11);
            float[] again = Dropout.apply(x, 0.3, RunMode.TRAINING).toFloatArray();
            Dropout.seed(12);
            float[] other = Dropout.apply(x, 0.3, RunMode.TRAINING).toFloatArray();

            assertThat(again).isEqualTo(first);
            assertThat(next).as("the stream goes on between calls").isNotEqualTo(first);
            assertThat(other).isNotEqualTo(first);
            float[] input = x.toFloatArray();
            for (int i = 0; i < first.length; i++) { // kept elements are the input scaled, nothing else
                assertThat(first[i]).isIn(0f, input[i] * (float) (1 / 0.7));
            }
        }
    }

    @Test
    void shouldPassGradientsThroughTheKeptElementsOnly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.ones(new Shape(4, 1001));
            x.setRequiresGradient(true);
            Dropout.seed(3);
            float[] out;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = Dropout.apply(x, 0.5, RunMode.TRAINING);
                out = y.toFloatArray();
                collector.backward(y.sum());
            }
            float[] gradient = x.getGradient().toFloatArray();
            assertThat(gradient).isEqualTo(out); // d(sum x*m)/dx = m, and x = 1 gives out = m
        }
    }

    @Test
    void shouldLeaveInputsAloneOutsideTraining() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.ones(SHAPE);
            assertThat(Dropout.apply(x, 0.1, RunMode.INFERENCE)).isSameAs(x);
            assertThat(Dropout.apply(x, 0.0, RunMode.TRAINING)).isSameAs(x);
        }
    }
}
