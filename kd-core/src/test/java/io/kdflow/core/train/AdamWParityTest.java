package io.kdflow.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.model.Parameter;
import io.kdflow.core.model.nn.Autograd;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one-pass AdamW, libtorch's fused kernel and the Java pass alike, equals torch.optim.AdamW written as libtorch
 * operations within 1e-6, step for step, for tensors smaller and larger than one work chunk, with and without weight
 * decay, on one to three threads.
 */
class AdamWParityTest {

    private static final Shape[] SHAPES = {new Shape(3 * AdamW.CHUNK + 123), new Shape(7), new Shape(40, 33),
        new Shape(1)};
    private static final String[] NAMES = {"big.weight", "small.bias", "matrix.weight", "layer_norm.weight"};
    private static final int STEPS = 5;

    @ParameterizedTest
    @CsvSource({"1, false", "2, false", "3, false", "1, true", "2, true", "3, true"})
    void shouldMatchTheLibtorchOperationsStepForStep(int threads, boolean javaPass) {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> fast = parameters(manager, 17);
            List<Parameter> reference = parameters(manager, 17);
            AdamW.Settings settings = AdamW.Settings.defaults(0.1);
            try (AdamW adamW = new AdamW(fast, settings, threads, javaPass);
                    LibtorchOpsAdamW expected = new LibtorchOpsAdamW(reference, settings)) {
                assertThat(adamW.javaPass()).as("libtorch 2.7's fused kernel runs unless the Java pass is asked for")
                        .isEqualTo(javaPass);
                for (int step = 0; step < STEPS; step++) {
                    double rate = 0.01 * (step + 1);
                    backward(fast, manager, step);
                    backward(reference, manager, step);
                    adamW.step(rate);
                    expected.step(rate);
                    adamW.zeroGradients();
                    zero(reference);
                }
                assertThat(adamW.steps()).isEqualTo(STEPS);
            }
            for (int i = 0; i < fast.size(); i++) {
                float[] actual = fast.get(i).array().toFloatArray();
                float[] wanted = reference.get(i).array().toFloatArray();
                float[] start = parameters(manager, 17).get(i).array().toFloatArray();
                double moved = 0;
                for (int j = 0; j < actual.length; j++) {
                    assertThat(actual[j]).as(NAMES[i] + "[" + j + "]").isCloseTo(wanted[j], within(1e-6f));
                    moved = Math.max(moved, Math.abs(actual[j] - start[j]));
                }
                assertThat(moved).as("updates of " + NAMES[i]).isGreaterThan(0.01);
            }
        }
    }

    /**
     * Clipping equals torch's clip_grad_norm_ (per-tensor norms, their norm, the float32 coefficient max / (norm +
     * 1e-6) applied below 1), so the updates after it equal torch's: clipping on every step (max 1) and never (max 1e9).
     */
    @ParameterizedTest
    @CsvSource({"1.0, false", "1e9, false", "1.0, true", "1e9, true"})
    void shouldClipAsTorchDoesStepByStep(double maxNorm, boolean javaPass) {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> fast = parameters(manager, 23);
            List<Parameter> reference = parameters(manager, 23);
            AdamW.Settings settings = AdamW.Settings.defaults(0.1);
            int clipped = 0;
            try (AdamW adamW = new AdamW(fast, settings, 2, javaPass);
                    LibtorchOpsAdamW expected = new LibtorchOpsAdamW(reference, settings)) {
                for (int step = 0; step < STEPS; step++) {
                    double rate = 0.01 * (step + 1);
                    backward(fast, manager, step);
                    backward(reference, manager, step);
                    double wantedNorm = torchClip(reference, maxNorm, manager);
                    clipped += maxNorm / (wantedNorm + 1e-6) < 1 ? 1 : 0;
                    double norm = adamW.clipGradientNorm(maxNorm);
                    assertThat(norm).as("norm at step " + step).isCloseTo(wantedNorm, within(wantedNorm * 1e-6));
                    adamW.step(rate);
                    expected.step(rate);
                    adamW.zeroGradients();
                    zero(reference);
                }
            }
            assertThat(clipped).as("steps that clipped").isEqualTo(maxNorm == 1.0 ? STEPS : 0);
            for (int i = 0; i < fast.size(); i++) {
                float[] actual = fast.get(i).array().toFloatArray();
                float[] wanted = reference.get(i).array().toFloatArray();
                for (int j = 0; j < actual.length; j++) {
                    assertThat(actual[j]).as(NAMES[i] + "[" + j + "]").isCloseTo(wanted[j], within(1e-6f));
                }
            }
        }
    }

    /**
     * A step whose gradients hold a NaN fails with the parameter's name and leaves weights, moments and the step count
     * as they were.
     */
    @ParameterizedTest
    @CsvSource({"false", "true"})
    void shouldStopADivergedStepBeforeItTouchesTheWeights(boolean javaPass) {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> parameters = parameters(manager, 29);
            try (AdamW adamW = new AdamW(parameters, AdamW.Settings.defaults(0.1), 2, javaPass)) {
                Trainer trainer = new Trainer(adamW, LearningRateSchedule.constant(0.01), 1.0, manager);
                trainer.step(List.of(1f), (batch, scale) -> sumOfCubes(parameters, batch, scale));
                float[][] before = new float[parameters.size()][];
                for (int i = 0; i < before.length; i++) {
                    before[i] = parameters.get(i).array().toFloatArray();
                }
                float[] firstMoment = adamW.firstMoments().get(2).toFloatArray();

                assertThatThrownBy(() -> trainer.step(List.of(Float.NaN),
                        (batch, scale) -> sumOfCubes(parameters, batch, scale)))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("training diverged at optimizer step 1")
                        .hasMessageContaining("non-finite gradients in 1 parameters, [matrix.weight]");

                assertThat(adamW.steps()).isEqualTo(1);
                assertThat(adamW.firstMoments().get(2).toFloatArray()).containsExactly(firstMoment);
                for (int i = 0; i < before.length; i++) {
                    assertThat(parameters.get(i).array().toFloatArray()).as(NAMES[i]).containsExactly(before[i]);
                }
            }
        }
    }

    /** sum(p^3) over the parameters, matrix.weight's term scaled by {@code scale} (NaN poisons its gradient only). */
    private static NDArray sumOfCubes(List<Parameter> parameters, NDManager batch, float scale) {
        NDArray loss = batch.create(0f);
        for (Parameter parameter : parameters) {
            NDArray term = parameter.array().pow(3).sum();
            loss = loss.add(parameter.name().equals("matrix.weight") ? term.mul(scale) : term);
        }
        return loss;
    }

    @Test
    void shouldRejectArraysItCannotUpdateInPlace() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray ints = manager.arange(0, 4);
            NDArray ids = ints.toType(ai.djl.ndarray.types.DataType.INT32, false);
            List<Parameter> parameters = List.of(Parameter.of("ids.weight", ids));
            assertThatThrownBy(() -> new AdamW(parameters, AdamW.Settings.defaults(0), 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ids.weight")
                    .hasMessageContaining("float32");
        }
    }

    /** The same seeded parameters each time: named so that some decay and some do not. */
    private static List<Parameter> parameters(NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        List<Parameter> parameters = new ArrayList<>();
        for (int i = 0; i < SHAPES.length; i++) {
            parameters.add(Parameter.of(NAMES[i], manager.randomNormal(SHAPES[i])));
        }
        return parameters;
    }

    /** Gradient of sum(c * p^3) with a seeded c per step: different, non-trivial gradients each step. */
    private static void backward(List<Parameter> parameters, NDManager manager, int step) {
        try (NDManager batch = manager.newSubManager(); Autograd.Scope grad = Autograd.enabled()) {
            Engine.getInstance().setRandomSeed(100 + step);
            NDArray loss = null;
            for (Parameter parameter : parameters) {
                NDArray p = parameter.array();
                NDArray term = batch.randomNormal(p.getShape()).mul(p.pow(3)).sum();
                loss = loss == null ? term : loss.add(term);
            }
            Autograd.backward(loss);
        }
    }

    /**
     * torch.nn.utils.clip_grad_norm_ (foreach path) in libtorch operations: the norm of the per-tensor norms, the
     * coefficient in float32, gradients scaled when it is below 1 (torch multiplies by the coefficient clamped to 1,
     * the same numbers). Returns the norm.
     */
    private static double torchClip(List<Parameter> parameters, double maxNorm, NDManager manager) {
        try (NDManager temp = manager.newSubManager(); Autograd.Scope noGrad = Autograd.disabled()) {
            NDArray[] norms = new NDArray[parameters.size()];
            for (int i = 0; i < norms.length; i++) {
                NDArray gradient = parameters.get(i).array().getGradient();
                gradient.attach(temp);
                norms[i] = gradient.flatten().norm(); // linalg_vector_norm, what _foreach_norm runs on a CPU
            }
            NDArray total = NDArrays.stack(new NDList(norms)).norm();
            // torch's max_norm / (total + 1e-6) is Tensor.__rdiv__: reciprocal(total + 1e-6) * max_norm
            NDArray coefficient = temp.create(1f).div(total.add(temp.create(1e-6f))).mul(temp.create((float) maxNorm));
            if (maxNorm > 0 && coefficient.getFloat() < 1) {
                for (Parameter parameter : parameters) {
                    NDArray gradient = parameter.array().getGradient();
                    gradient.attach(temp);
                    gradient.muli(coefficient);
                }
            }
            return total.getFloat();
        }
    }

    private static void zero(List<Parameter> parameters) {
        parameters.forEach(p -> Autograd.zeroGradient(p.array()));
    }
}
