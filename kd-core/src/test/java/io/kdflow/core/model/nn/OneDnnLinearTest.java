package io.kdflow.core.model.nn;

import static io.kdflow.core.testing.ReferenceTensors.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.Parameter;
import io.kdflow.core.testing.EveryLinearOnOneDnn;
import io.kdflow.core.train.AdamW;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EveryLinearOnOneDnn.class) // the small products here too
class OneDnnLinearTest {

    private static final float TOLERANCE = 2e-5f; // outputs of magnitude ~1: float rounding of two summation orders

    /** A (96, 256) weight of outputs of size ~1 on a (64, 256) standard-normal input, with a bias. */
    private record Drawn(NDArray weight, NDArray bias, NDArray x) {

        static Drawn of(NDManager manager, int seed) {
            manager.getEngine().setRandomSeed(seed);
            return new Drawn(manager.randomNormal(0, 0.05f, new Shape(96, 256), ai.djl.ndarray.types.DataType.FLOAT32),
                    manager.randomNormal(new Shape(96)), manager.randomNormal(new Shape(64, 256)));
        }
    }

    @Test
    void shouldMatchLibtorchLinearWithinRoundingForEveryInputLayout() {
        assertThat(OneDnnLinear.serves(1, false)).as("the oneDNN kernels load on this libtorch").isTrue();
        try (NDManager manager = NDManager.newBaseManager(); Autograd.Scope noGrad = Autograd.disabled()) {
            Drawn drawn = Drawn.of(manager, 7);
            NDArray weight = drawn.weight();
            NDArray bias = drawn.bias();
            NDArray x = drawn.x();
            Linear linear = new Linear(weight, bias);

            assertThat(maxAbsDiff(linear.apply(x), reference(x, weight, bias))).isLessThan(TOLERANCE);
            assertThat(PackedWeights.holds(weight)).as("the packed path ran").isTrue();
            NDArray grid = x.reshape(8, 8, 256); // (B, T, E) is flattened to (B*T, E) and back
            assertThat(linear.apply(grid).getShape()).isEqualTo(new Shape(8, 8, 96));
            assertThat(maxAbsDiff(linear.apply(grid).reshape(64, 96), reference(x, weight, bias)))
                    .isLessThan(TOLERANCE);
            NDArray strided = manager.randomNormal(new Shape(256, 64)).transpose(); // a (64, 256) view
            assertThat(maxAbsDiff(linear.apply(strided), reference(strided, weight, bias))).isLessThan(TOLERANCE);
            Linear noBias = new Linear(weight, null);
            assertThat(maxAbsDiff(noBias.apply(x), reference(x, weight, null))).isLessThan(TOLERANCE);
        }
    }

    @Test
    void shouldGiveLibtorchsGradientsWhileGradientsAreRecorded() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(11);
            NDArray x = manager.randomNormal(new Shape(40, 32));
            NDArray weight = manager.randomNormal(0, 0.2f, new Shape(48, 32), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray bias = manager.randomNormal(new Shape(48));
            NDArray upstream = manager.randomNormal(new Shape(40, 48)); // d(loss)/d(output)
            for (NDArray array : new NDArray[] {x, weight, bias}) {
                array.setRequiresGradient(true);
            }
            float[][] oneDnn = gradients(() -> new Linear(weight, bias).apply(x), upstream, x, weight, bias);
            float[][] libtorch = gradients(() -> reference(x, weight, bias), upstream, x, weight, bias);
            for (int i = 0; i < oneDnn.length; i++) {
                assertThat(maxDifference(oneDnn[i], libtorch[i])).as("gradient %d", i).isLessThan(1e-4f);
            }
            assertThat(libtorch[2]).as("the bias gradient is the column sums of upstream")
                    .usingComparatorWithPrecision(1e-4f).containsExactly(upstream.sum(new int[] {0}).toFloatArray());
            float[][] withoutBias = gradients(() -> new Linear(weight, null).apply(x), upstream, x, weight);
            assertThat(maxDifference(withoutBias[1], libtorch[1])).isLessThan(1e-4f);
            assertThat(PackedWeights.holds(weight)).as("training never packs").isFalse();
        }
    }

    @Test
    void shouldTrainInBfloat16WithFloat32GradientsWhenAsked() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Drawn layer = Drawn.of(manager, 13);
            NDArray x = layer.x();
            NDArray upstream = manager.randomNormal(new Shape(64, 96));
            for (NDArray array : new NDArray[] {x, layer.weight(), layer.bias()}) {
                array.setRequiresGradient(true);
            }
            Supplier<NDArray> output = () -> new Linear(layer.weight(), layer.bias()).apply(x);
            float[][] float32 = gradients(output, upstream, x, layer.weight(), layer.bias());
            System.setProperty(LinearPrecision.PROPERTY, "bfloat16");
            try {
                if (!LinearPrecision.cpuHasBf16()) {
                    assertThatThrownBy(() -> gradients(output, upstream, x)).isInstanceOf(BadInputException.class)
                            .hasMessageContaining("this CPU has neither AVX512_BF16 nor AMX-BF16");
                    return;
                }
                float[][] bfloat16 = gradients(output, upstream, x, layer.weight(), layer.bias());
                // the input gradient sums 96 products of size ~0.05 x 1, the weight gradient 64 of size ~1 x 1
                assertThat(maxDifference(bfloat16[0], float32[0])).as("input gradient").isLessThan(0.02f)
                        .as("not the float32 product").isGreaterThan(1e-5f);
                assertThat(maxDifference(bfloat16[1], float32[1])).as("weight gradient").isLessThan(0.2f)
                        .isGreaterThan(1e-4f);
                assertThat(maxDifference(bfloat16[2], float32[2])).as("the bias is added in float32").isLessThan(1e-4f);
                assertThat(layer.weight().getGradient().getDataType()).as("gradients stay float32")
                        .isEqualTo(ai.djl.ndarray.types.DataType.FLOAT32);
            } finally {
                System.clearProperty(LinearPrecision.PROPERTY);
            }
        }
    }

    /** Computes {@code output} recording, runs backward with {@code upstream}; the gradients of {@code inputs}. */
    private static float[][] gradients(Supplier<NDArray> output, NDArray upstream, NDArray... inputs) {
        try (Autograd.Scope grad = Autograd.enabled()) {
            Autograd.backward(output.get().mul(upstream).sum());
        }
        float[][] result = new float[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            result[i] = inputs[i].getGradient().toFloatArray();
            Autograd.zeroGradient(inputs[i]);
        }
        return result;
    }

    private static float maxDifference(float[] a, float[] b) {
        float largest = 0;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs(a[i] - b[i]));
        }
        return largest;
    }

    @Test
    void shouldPackPerCallInALayerScopeAndKeepTheDecodingCopyAliveThrough() {
        try (NDManager manager = NDManager.newBaseManager(); Autograd.Scope noGrad = Autograd.disabled()) {
            NDArray weight = manager.randomNormal(0, 0.05f, new Shape(96, 256), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray x = manager.randomNormal(new Shape(64, 256));
            Linear linear = new Linear(weight, null);

            NDArray wholeSequence = LayerScope.output(() -> linear.apply(x), null);
            assertThat(maxAbsDiff(wholeSequence, reference(x, weight, null))).isLessThan(TOLERANCE);
            assertThat(PackedWeights.holds(weight)).as("a whole-sequence pass keeps no copy").isFalse();

            linear.apply(x); // a decoding step: the copy is kept
            NDArray kept = PackedWeights.held(weight, LinearPrecision.FLOAT32);
            NDArray again = LayerScope.output(() -> linear.apply(x), null);
            // A scope closes what was made in it, but not the kept copy, which other decoding workers may be
            // reading (closing it there crashed PT generation: "Native resource has been released already")
            assertThat(kept.isReleased()).as("the kept copy after the scope").isFalse();
            assertThat(PackedWeights.held(weight, LinearPrecision.FLOAT32)).as("the same copy, not a new packing")
                    .isSameAs(kept);
            assertThat(maxAbsDiff(again, reference(x, weight, null))).isLessThan(TOLERANCE);
        }
    }

    @Test
    void shouldMultiplyInBfloat16OnlyWhenAskedAndOnlyOnACpuThatHasIt() {
        try (NDManager manager = NDManager.newBaseManager(); Autograd.Scope noGrad = Autograd.disabled()) {
            Drawn layer = Drawn.of(manager, 5);
            Linear linear = new Linear(layer.weight(), layer.bias());
            NDArray float32 = reference(layer.x(), layer.weight(), layer.bias()); // outputs of size ~1
            System.setProperty(LinearPrecision.PROPERTY, "bfloat16");
            try {
                if (!LinearPrecision.cpuHasBf16()) {
                    assertThatThrownBy(() -> linear.apply(layer.x())).isInstanceOf(BadInputException.class)
                            .hasMessageContaining("this CPU has neither AVX512_BF16 nor AMX-BF16");
                    return;
                }
                assertThat(maxAbsDiff(linear.apply(layer.x()), float32)).as("8 significant bits, summed in float32")
                        .isLessThan(0.03f)
                        .as("not the float32 product").isGreaterThan(1e-4f);
                assertThat(PackedWeights.held(layer.weight(), LinearPrecision.BFLOAT16)).isNotNull();
                assertThat(PackedWeights.held(layer.weight(), LinearPrecision.FLOAT32)).isNull();
            } finally {
                System.clearProperty(LinearPrecision.PROPERTY);
            }
            assertThat(maxAbsDiff(linear.apply(layer.x()), float32)).as("float32 again").isLessThan(TOLERANCE);
        }
    }

    @Test
    void shouldNameThePrecisionsWhenThePrecisionIsUnknown() {
        assertThat(LinearPrecision.parse(null)).isEqualTo(LinearPrecision.FLOAT32);
        assertThat(LinearPrecision.parse(" BF16 ")).isEqualTo(LinearPrecision.BFLOAT16);
        assertThatThrownBy(() -> LinearPrecision.parse("half")).isInstanceOf(BadInputException.class)
                .hasMessage("kdflow.linear-precision (or KDFLOW_LINEAR_PRECISION) is 'half': expected float32 (the"
                        + " default) or bfloat16");
    }

    @Test
    void shouldRepackAfterTheOptimizerChangesTheWeight() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.randomNormal(new Shape(32, 16));
            NDArray x = manager.randomNormal(new Shape(8, 16));
            Linear linear = new Linear(weight, null);
            AdamW adamW = new AdamW(List.of(Parameter.of("w.weight", weight)), AdamW.Settings.defaults(0));
            float[] before;
            try (Autograd.Scope noGrad = Autograd.disabled()) {
                before = linear.apply(x).toFloatArray();
            }
            try (Autograd.Scope grad = Autograd.enabled()) {
                Autograd.backward(linear.apply(x).sum());
            }
            adamW.step(0.1);
            try (Autograd.Scope noGrad = Autograd.disabled()) {
                NDArray after = linear.apply(x);
                assertThat(maxAbsDiff(after, reference(x, weight, null))).isLessThan(TOLERANCE);
                assertThat(maxAbsDiff(after, manager.create(before, after.getShape())))
                        .as("the step moved the outputs").isGreaterThan(0.1f);
            }
        }
    }

    @Test
    void shouldUseLibtorchLinearWhenSwitchedOff() {
        System.setProperty("kdflow.packed-linear", "off");
        assertThat(OneDnnLinear.serves(1L << 40, false)).isFalse();
        try (NDManager manager = NDManager.newBaseManager(); Autograd.Scope noGrad = Autograd.disabled()) {
            NDArray weight = manager.randomNormal(new Shape(24, 16));
            NDArray bias = manager.randomNormal(new Shape(24));
            NDArray x = manager.randomNormal(new Shape(8, 16));
            NDArray libtorch = x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
            assertThat(new Linear(weight, bias).apply(x).contentEquals(libtorch)).as("bit for bit").isTrue();
            assertThat(PackedWeights.holds(weight)).isFalse();
        }
    }

    @Test
    void shouldServeOnlyProductsThatRepayTheCallByDefault() {
        System.clearProperty("kdflow.packed-linear");
        assertThat(OneDnnLinear.serves(64 * 128 * 128, false)).as("1 M multiply-adds, inference").isFalse();
        assertThat(OneDnnLinear.serves(64 * 256 * 256, false)).as("4 M, inference").isTrue();
        assertThat(OneDnnLinear.serves(64 * 256 * 256, true)).as("4 M, training").isFalse();
        boolean trainsHere = OneDnnLinear.trainsOnOneDnn(CpuInfo.current());
        assertThat(OneDnnLinear.serves(1024 * 256 * 256, true)).as("64 M, training, on " + CpuInfo.current())
                .isEqualTo(trainsHere);
        System.setProperty("kdflow.packed-linear", " Auto ");
        assertThat(OneDnnLinear.serves(1024 * 256 * 256, true)).isEqualTo(trainsHere);
        System.setProperty("kdflow.packed-linear", "full");
        assertThat(OneDnnLinear.serves(1024 * 256 * 256, true)).as("64 M, training, on any CPU").isTrue();
        assertThat(OneDnnLinear.serves(64 * 256 * 256, true)).as("4 M, training").isFalse();
        assertThat(OneDnnLinear.serves(64 * 256 * 256, false)).as("4 M, inference").isTrue();
        System.setProperty("kdflow.packed-linear", "inference");
        assertThat(OneDnnLinear.serves(1024 * 256 * 256, true)).as("no training products").isFalse();
        assertThat(OneDnnLinear.serves(64 * 256 * 256, false)).isTrue();
    }

    @Test
    void shouldNameTheSwitchAndItsValuesWhenTheValueIsUnknown() {
        System.setProperty("kdflow.packed-linear", "fast");
        assertThatThrownBy(() -> OneDnnLinear.serves(1, false)).isInstanceOf(BadInputException.class)
                .hasMessage("kdflow.packed-linear (or KDFLOW_PACKED_LINEAR) is 'fast': expected auto (the default),"
                        + " inference, full, on or off");
    }

    private static NDArray reference(NDArray x, NDArray weight, NDArray bias) {
        NDArray product = x.matMul(weight.transpose());
        return bias == null ? product : product.add(bias);
    }

}
