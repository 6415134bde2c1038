package io.kdflow.core.model.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import io.kdflow.core.error.BadInputException;
import java.io.IOException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linear layers on oneDNN instead of libtorch's {@code addmm}, which calls MKL's sgemm and repacks the weight at
 * every call: without gradients with the weight reordered once into oneDNN's blocked layout ("prepacked"), with
 * them through {@code mkldnn_linear}. On AMD CPUs MKL's sgemm also runs its AVX2 kernels only: measured on a Zen 5
 * core, 75-100 GFLOP/s for sgemm against 165-245 GFLOP/s for the packed oneDNN product at every shape of a BART
 * decoder step and of teacher-forced scoring (64 to 2,048 rows). The results equal sgemm's within float rounding
 * (|diff| ~1e-7 relative), not bit for bit: the two libraries sum in different orders.
 *
 * <p>DJL 0.36 exposes neither oneDNN tensors nor these operators, but it runs TorchScript methods, and libtorch
 * registers the three ({@code mkldnn::_reorder_linear_weight}, {@code mkldnn::_linear_pointwise},
 * {@code mkldnn_linear}) for TorchScript. So this class writes a small TorchScript module in memory
 * ({@link TorchScriptArchive}), loads it once per process and calls its methods. The packed product has no
 * gradient: {@link Linear} uses it only where grad mode is off, and {@link #trainingLinear} (differentiable) where it
 * is on.
 *
 * <p>Only products large enough to repay the call run here ({@link #serves}), and products with gradients only on CPUs
 * where that was measured faster ({@link #trainsOnOneDnn}): on a Zen 4 core, whose AVX-512 reaches no higher peak than
 * AVX2, MKL's sgemm trained 4-9% faster than {@code mkldnn_linear} with its layout conversions. None when {@code
 * -Dkdflow.packed-linear=off} or {@code KDFLOW_PACKED_LINEAR=off}, or when the module does not load (a libtorch
 * built without oneDNN): then every linear layer uses {@code addmm}, as before.
 */
public final class OneDnnLinear {

    private static final Logger LOG = LoggerFactory.getLogger(OneDnnLinear.class);
    private static final String SWITCH_PROPERTY = "kdflow.packed-linear";
    private static final String SWITCH_ENV = "KDFLOW_PACKED_LINEAR";
    private static final String SWITCH_FROM_ENVIRONMENT = System.getenv(SWITCH_ENV);
    private static final boolean TRAINS_ON_ONEDNN_HERE = trainsOnOneDnn(CpuInfo.current());
    private static final long MIN_INFERENCE_MULTIPLY_ADDS = 2L << 20;
    private static final long MIN_TRAINING_MULTIPLY_ADDS = 8L << 20;
    private static final String PRIMITIVE_CACHE_VARIABLE = "ONEDNN_PRIMITIVE_CACHE_CAPACITY";
    private static final int PRIMITIVE_CACHE_CAPACITY = 64;
    private static final String ARCHIVE = "kdflow_onednn_linear";
    private static final String CLASS = "OneDnnLinear";
    /** The module's methods, as {@code torch.jit.save} stores them (typed; {@link TorchScriptArchive} adds the class). */
    private static final String SOURCE = """
              def forward(self: __torch__.OneDnnLinear,
                x: Tensor,
                weight: Tensor,
                bias: Tensor) -> Tensor:
                _0 = torch.mkldnn_linear(torch.to_mkldnn(torch.contiguous(x)), weight, bias)
                return torch.to_dense(_0)
              def pack(self: __torch__.OneDnnLinear,
                weight: Tensor) -> Tensor:
                return ops.mkldnn._reorder_linear_weight(weight)
              def linear(self: __torch__.OneDnnLinear,
                x: Tensor,
                packed: Tensor,
                bias: Tensor) -> Tensor:
                _0 = annotate(List[Optional[number]], [])
                return ops.mkldnn._linear_pointwise(torch.contiguous(x), packed, bias, "none", _0, "")
              def product(self: __torch__.OneDnnLinear,
                x: Tensor,
                packed: Tensor) -> Tensor:
                _0 = annotate(List[Optional[number]], [])
                return ops.mkldnn._linear_pointwise(torch.contiguous(x), packed, None, "none", _0, "")
              def pack_bf16(self: __torch__.OneDnnLinear,
                weight: Tensor) -> Tensor:
                return ops.mkldnn._reorder_linear_weight(torch.to(weight, 15))
              def linear_bf16(self: __torch__.OneDnnLinear,
                x: Tensor,
                packed: Tensor,
                bias: Tensor) -> Tensor:
                _0 = annotate(List[Optional[number]], [])
                _1 = ops.mkldnn._linear_pointwise(torch.to(torch.contiguous(x), 15), packed, None, "none", _0, "")
                return torch.add(torch.to(_1, 6), bias)
              def product_bf16(self: __torch__.OneDnnLinear,
                x: Tensor,
                packed: Tensor) -> Tensor:
                _0 = annotate(List[Optional[number]], [])
                _1 = ops.mkldnn._linear_pointwise(torch.to(torch.contiguous(x), 15), packed, None, "none", _0, "")
                return torch.to(_1, 6)
            """;

    private static final String BF16_TRAINING_ARCHIVE = "kdflow_bf16_training_linear";
    /**
     * The differentiable product in bfloat16 (mixed precision): input and weight rounded to bfloat16, {@code linear}
     * (oneDNN's bfloat16 matmul, float32 sums), the output back to float32 and the bias added in float32. Autograd
     * runs the backward products in bfloat16 too and casts the gradients back, so parameters, gradients and the
     * optimizer stay float32. Only a module's {@code forward} runs with grad mode on through DJL, hence a module of
     * its own.
     */
    private static final String BF16_TRAINING_SOURCE = """
              def forward(self: __torch__.OneDnnLinear,
                x: Tensor,
                weight: Tensor,
                bias: Tensor) -> Tensor:
                _0 = torch.linear(torch.to(x, 15), torch.to(weight, 15), None)
                return torch.add(torch.to(_0, 6), bias)
            """;

    private static final Object LOCK = new Object();
    private static volatile Boolean loaded;
    private static PtSymbolBlock module;
    private static PtSymbolBlock bf16TrainingModule;
    private static PtNDManager moduleManager;

    private OneDnnLinear() {}

    /** Which products run here; {@link #serves} reads it at every call. */
    enum Mode {
        /** None: libtorch's {@code linear} everywhere, the arithmetic of builds before this class. */
        OFF,
        /** Products without gradients large enough to repay the call. */
        INFERENCE,
        /** {@link #FULL} where products with gradients are faster here ({@link #trainsOnOneDnn}), else {@link #INFERENCE}. */
        AUTO,
        /** Products large enough to repay the call, with or without gradients. */
        FULL,
        /** Every product. */
        ON;

        static Mode parse(String value) {
            if (value == null || value.isBlank()) {
                return AUTO;
            }
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new BadInputException(SWITCH_PROPERTY + " (or " + SWITCH_ENV + ") is '" + value
                        + "': expected auto (the default), inference, full, on or off", e);
            }
        }
    }

    /**
     * Whether a product of {@code multiplyAdds} (rows x in x out) runs here rather than on libtorch's {@code linear},
     * as the switch ({@code -Dkdflow.packed-linear} or {@code KDFLOW_PACKED_LINEAR}, read at every call so that a
     * test or a comparison can flip it) says ({@link Mode}). "Large enough to repay the call" (a TorchScript call
     * costs about 10 us): from 2 M multiply-adds without gradients, 8 M with them, the break-even points measured on
     * a Zen 5 core. {@code auto} leaves products with gradients to {@code addmm} unless {@link #trainsOnOneDnn}.
     */
    public static boolean serves(long multiplyAdds, boolean training) {
        long threshold = training ? MIN_TRAINING_MULTIPLY_ADDS : MIN_INFERENCE_MULTIPLY_ADDS;
        return switch (Mode.parse(System.getProperty(SWITCH_PROPERTY, SWITCH_FROM_ENVIRONMENT))) {
            case OFF -> false;
            case INFERENCE -> !training && multiplyAdds >= threshold && loaded();
            case AUTO -> multiplyAdds >= threshold && (!training || TRAINS_ON_ONEDNN_HERE) && loaded();
            case FULL -> multiplyAdds >= threshold && loaded();
            case ON -> loaded();
        };
    }

    /**
     * Whether {@code auto} runs the products with gradients here on {@code cpu}: only where oneDNN was measured faster
     * than MKL's sgemm for training, AMD CPUs with full-width AVX-512 (Zen 5: 1.6-2.5x the linear layers' speed, the
     * bench job in 295-312 s against 328 s with inference only). Elsewhere training keeps {@code addmm}: on Zen 4 its
     * bench step was 4-9% faster and the bench job 3-7%; Intel CPUs, where MKL runs AVX-512 too, were not measured.
     */
    static boolean trainsOnOneDnn(CpuInfo cpu) {
        return cpu.amdWithFullWidthAvx512();
    }

    private static boolean loaded() {
        Boolean known = loaded;
        if (known != null) {
            return known;
        }
        synchronized (LOCK) {
            if (loaded == null) {
                loaded = load();
            }
            return loaded;
        }
    }

    /** Whether a weight can run here: float32, two axes (out, in), in CPU memory (oneDNN's kernels are CPU ones). */
    static boolean packable(NDArray weight) {
        return weight.getDataType() == DataType.FLOAT32 && weight.getShape().dimension() == 2
                && Device.cpu().equals(weight.getDevice());
    }

    /**
     * The weight (out, in) reordered into oneDNN's layout in {@code precision}, attached to {@code owner}. Only
     * {@link #linear} can read the result (it is an opaque oneDNN tensor).
     */
    static NDArray pack(NDArray weight, NDManager owner, LinearPrecision precision) {
        String method = precision == LinearPrecision.BFLOAT16 ? "pack_bf16" : "pack";
        try (IValue input = IValue.from((PtNDArray) weight);
                IValue output = IValueUtils.runMethod(module, method, input)) {
            return output.toTensor((PtNDManager) owner);
        }
    }

    /**
     * x W^T + b for x (N, in) and W (out, in) as they are, recording the product for backward: for training, where
     * the weight changes at every step, so that packing it once would not pay. In float32 {@code mkldnn_linear}, whose
     * gradient libtorch implements, also on oneDNN; in bfloat16 the mixed-precision product of {@link
     * #BF16_TRAINING_SOURCE}. Without a bias, a zero bias is added (its gradient is dropped).
     */
    static NDArray trainingLinear(NDArray x, NDArray weight, NDArray bias, LinearPrecision precision) {
        NDArray offset = bias != null ? bias : x.getManager().zeros(new Shape(weight.getShape().get(0)));
        PtSymbolBlock product = precision == LinearPrecision.BFLOAT16 ? bf16TrainingModule : module;
        // only a module's forward method runs with grad mode on through DJL
        return IValueUtils.forward(product, new NDList(x, weight, offset), true).singletonOrThrow();
    }

    /**
     * x W^T + b for x (N, in) and a {@link #pack packed} W of {@code precision}: (N, out) float32 in {@code x}'s
     * manager. In bfloat16 the bias is added in float32, after the product.
     */
    static NDArray linear(NDArray x, NDArray packed, NDArray bias, LinearPrecision precision) {
        String suffix = precision == LinearPrecision.BFLOAT16 ? "_bf16" : "";
        try (IValue input = IValue.from((PtNDArray) x);
                IValue weight = IValue.from((PtNDArray) packed);
                IValue offset = bias == null ? null : IValue.from((PtNDArray) bias);
                IValue output = offset == null ? IValueUtils.runMethod(module, "product" + suffix, input, weight)
                        : IValueUtils.runMethod(module, "linear" + suffix, input, weight, offset)) {
            return output.toTensor((PtNDManager) x.getManager());
        }
    }

    private static boolean load() {
        limitPrimitiveCache();
        try {
            moduleManager = (PtNDManager) NDManager.newBaseManager();
            module = TorchScriptArchive.load(moduleManager, ARCHIVE, CLASS, SOURCE);
            bf16TrainingModule = TorchScriptArchive.load(moduleManager, BF16_TRAINING_ARCHIVE, CLASS,
                    BF16_TRAINING_SOURCE);
            LOG.info("oneDNN linear layers loaded, products with gradients on {} by default on this CPU ({}); -D{} or {}"
                    + " (auto, inference, full, on, off) chooses", TRAINS_ON_ONEDNN_HERE ? "oneDNN" : "addmm",
                    CpuInfo.current(), SWITCH_PROPERTY, SWITCH_ENV);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("packed (oneDNN) linear layers unavailable, using addmm: {}", e.toString());
            return false;
        }
    }

    /**
     * Caps oneDNN's primitive cache (default 1,024 primitives) before its first primitive, unless the environment
     * already sets it. A primitive is made per shape, and packed training batches come in many row counts: with the
     * default cap the bench job's resident memory doubled (2.4 to 5.1 GB) for no measurable speed. oneDNN reads the
     * variable once, when it first needs the cache; glibc only (elsewhere the default stays). Idempotent.
     */
    static void limitPrimitiveCache() {
        if (System.getenv(PRIMITIVE_CACHE_VARIABLE) != null) {
            return;
        }
        try {
            Function setenv = NativeLibrary.getInstance("c").getFunction("setenv");
            setenv.invokeInt(new Object[] {PRIMITIVE_CACHE_VARIABLE, Integer.toString(PRIMITIVE_CACHE_CAPACITY), 0});
        } catch (RuntimeException | LinkageError e) {
            LOG.info("oneDNN primitive cache left at its default: {}", e.toString());
        }
    }
}
