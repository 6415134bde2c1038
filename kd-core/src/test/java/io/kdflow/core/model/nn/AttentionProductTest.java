package io.kdflow.core.model.nn;

import static io.kdflow.core.testing.ReferenceTensors.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.error.BadInputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AttentionProductTest {

    @AfterEach
    void clearSwitch() {
        System.clearProperty(LinearPrecision.PROPERTY);
    }

    @Test
    void shouldBeLibtorchsMatMulBitForBitInFloat32() {
        try (NDManager manager = NDManager.newBaseManager(); Autograd.Scope noGrad = Autograd.disabled()) {
            manager.getEngine().setRandomSeed(3);
            NDArray q = manager.randomNormal(new Shape(2, 4, 12, 16));
            NDArray keysT = manager.randomNormal(new Shape(2, 4, 16, 10));
            assertThat(AttentionProduct.of(q, keysT).contentEquals(q.matMul(keysT))).isTrue();
        }
    }

    @Test
    void shouldMultiplyWholeSequencesInBfloat16AndKeepGradientsWhenAsked() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(5);
            NDArray weights = manager.randomUniform(0, 1, new Shape(2, 4, 12, 10)); // softmax-like rows
            NDArray values = manager.randomNormal(new Shape(2, 4, 10, 16));
            NDArray upstream = manager.randomNormal(new Shape(2, 4, 12, 16));
            weights.setRequiresGradient(true);
            values.setRequiresGradient(true);
            NDArray[] float32 = gradients(weights, values, upstream);
            NDArray float32Output;
            try (Autograd.Scope noGrad = Autograd.disabled()) {
                float32Output = weights.matMul(values);
            }
            System.setProperty(LinearPrecision.PROPERTY, "bfloat16");
            if (!LinearPrecision.cpuHasBf16()) {
                assertThatThrownBy(() -> AttentionProduct.of(weights, values)).isInstanceOf(BadInputException.class)
                        .hasMessageContaining("this CPU has neither AVX512_BF16 nor AMX-BF16");
                return;
            }
            try (Autograd.Scope noGrad = Autograd.disabled()) {
                // sums of 10 products of size ~0.5 x 1 with 8 significant bits each
                double difference = maxAbsDiff(AttentionProduct.of(weights, values), float32Output);
                assertThat(difference).as("bfloat16, summed in float32").isLessThan(0.05f)
                        .as("not the float32 product").isGreaterThan(1e-5f);
                NDArray step = weights.get(":, :, 0:1, :"); // one decoding position (B, H, 1, S)
                assertThat(AttentionProduct.of(step, values).contentEquals(step.matMul(values)))
                        .as("a single position stays float32").isTrue();
            }
            NDArray[] bfloat16 = gradients(weights, values, upstream);
            assertThat(maxAbsDiff(bfloat16[0], float32[0])).as("gradient of the weights").isLessThan(0.1f)
                    .isGreaterThan(1e-5f);
            assertThat(maxAbsDiff(bfloat16[1], float32[1])).as("gradient of the values").isLessThan(0.1f)
                    .isGreaterThan(1e-5f);
        }
    }

    /** The gradients of the weights and the values, copied before they are zeroed for the next pass. */
    private static NDArray[] gradients(NDArray weights, NDArray values, NDArray upstream) {
        try (Autograd.Scope grad = Autograd.enabled()) {
            Autograd.backward(AttentionProduct.of(weights, values).mul(upstream).sum());
        }
        NDArray[] result = {weights.getGradient().duplicate(), values.getGradient().duplicate()};
        Autograd.zeroGradient(weights);
        Autograd.zeroGradient(values);
        return result;
    }
}
