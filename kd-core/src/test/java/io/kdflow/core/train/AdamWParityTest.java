package io.kdflow.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
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

    @Test
    void shouldRejectArraysItCannotUpdateInPlace() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray ints = manager.arange(0, 4);
            NDArray ids = ints.toType(ai.djl.ndarray.types.DataType.INT32, false);
            List<Parameter> parameters = List.of(Parameter.of("ids.weight", ids));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AdamW(parameters, AdamW.Settings.defaults(0), 1))
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

    private static void zero(List<Parameter> parameters) {
        parameters.forEach(p -> Autograd.zeroGradient(p.array()));
    }
}
