package io.kdflow.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.Parameter;
import io.kdflow.core.model.nn.Autograd;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AdamW follows torch.optim.AdamW step for step (reference: the formulas evaluated in doubles). */
class AdamWTest {

    private static final double LR = 0.01;
    private static final double WD = 0.1;

    @Test
    void shouldFollowPyTorchAdamWWithDecoupledDecayAndBiasCorrection() {
        float[] start = {0.5f, -1.5f, 2.0f};
        float[][] targets = {{1, 1, 1}, {-2, 0.5f, 3}, {0, 0, 0}, {4, -4, 1}, {0.1f, 0.2f, 0.3f}};
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(start.clone());
            NDArray bias = manager.create(start.clone());
            AdamW adamW = new AdamW(List.of(Parameter.of("w.weight", weight), Parameter.of("w.bias", bias)),
                    AdamW.Settings.defaults(WD));
            double[] expectedWeight = toDouble(start);
            double[] expectedBias = toDouble(start);
            double[][] moments = new double[4][3];
            for (int step = 1; step <= targets.length; step++) {
                float[] target = targets[step - 1];
                // loss = sum((w - target)^2) for both tensors: gradient 2 (w - target)
                try (NDManager batch = manager.newSubManager(); Autograd.Scope grad = Autograd.enabled()) {
                    NDArray t = batch.create(target);
                    NDArray loss = weight.sub(t).square().sum().add(bias.sub(t).square().sum());
                    Autograd.backward(loss);
                }
                adamW.step(LR);
                adamW.zeroGradients();
                torchAdamW(expectedWeight, target, moments[0], moments[1], step, WD);
                torchAdamW(expectedBias, target, moments[2], moments[3], step, 0);
            }
            assertClose(weight.toFloatArray(), expectedWeight);
            assertClose(bias.toFloatArray(), expectedBias);
            assertThat(adamW.steps()).isEqualTo(5);
        }
    }

    @Test
    void shouldClipTheGlobalGradientNorm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {3f});
            NDArray b = manager.create(new float[] {4f});
            AdamW adamW = new AdamW(List.of(Parameter.of("a", a), Parameter.of("b", b)), AdamW.Settings.defaults(0));
            try (NDManager batch = manager.newSubManager(); Autograd.Scope grad = Autograd.enabled()) {
                Autograd.backward(a.square().div(batch.create(2f)).add(b.square().div(batch.create(2f))).sum());
            }
            double norm = adamW.clipGradientNorm(1.0);

            assertThat(norm).isCloseTo(5.0, within(1e-6));
            assertThat(a.getGradient().getFloat()).isCloseTo(0.6f, within(1e-6f));
            assertThat(b.getGradient().getFloat()).isCloseTo(0.8f, within(1e-6f));
        }
    }

    @Test
    void shouldFollowTransformersLinearWarmupDecay() {
        LinearWarmupDecay schedule = new LinearWarmupDecay(1e-3, 10, 110);

        assertThat(schedule.rate(0)).isZero();
        assertThat(schedule.rate(5)).isCloseTo(5e-4, within(1e-12));
        assertThat(schedule.rate(10)).isCloseTo(1e-3, within(1e-12));
        assertThat(schedule.rate(60)).isCloseTo(5e-4, within(1e-12));
        assertThat(schedule.rate(110)).isZero();
        assertThat(schedule.rate(500)).isZero();
        assertThat(new LinearWarmupDecay(1, 0, 4).rate(0)).isEqualTo(1.0);
    }

    /** torch.optim.AdamW (single-tensor path) for the gradient of sum((p - target)^2). */
    private static void torchAdamW(double[] p, float[] target, double[] m, double[] v, int step, double wd) {
        double beta1 = 0.9;
        double beta2 = 0.999;
        for (int i = 0; i < p.length; i++) {
            double g = 2 * (p[i] - target[i]);
            p[i] *= 1 - LR * wd;
            m[i] += (g - m[i]) * (1 - beta1);
            v[i] = v[i] * beta2 + (1 - beta2) * g * g;
            double denominator = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(beta2, step)) + 1e-8;
            p[i] -= LR / (1 - Math.pow(beta1, step)) * m[i] / denominator;
        }
    }

    private static double[] toDouble(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }

    private static void assertClose(float[] actual, double[] expected) {
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i]).as("element " + i).isCloseTo(expected[i], within(1e-5));
        }
    }
}
