package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The two batched products of attention (q kT and weights v) over whole sequences, in the precision {@link
 * LinearPrecision} asks for: in float32 libtorch's {@code matmul}; in bfloat16 both operands rounded to bfloat16,
 * float32 sums and output (1.6x float32's speed forward and backward at a bart-small training batch's shapes on a Zen 5
 * core). A single decoding position stays float32: casting the whole cache at every step would cost more than the
 * product saves.
 */
final class AttentionProduct {

    private static final String ARCHIVE = "kdflow_bf16_matmul";
    private static final String CLASS = "Bf16MatMul";
    /**
     * One method: DJL's module forward records it for backward (the only way to run a method with grad mode on), a
     * plain method call runs it without gradients.
     */
    private static final String SOURCE = """
              def forward(self: __torch__.Bf16MatMul,
                a: Tensor,
                b: Tensor) -> Tensor:
                _0 = torch.matmul(torch.to(a, 15), torch.to(b, 15))
                return torch.to(_0, 6)
            """;

    private static final LazyTorchScript MODULE = new LazyTorchScript(ARCHIVE, CLASS, SOURCE,
            "using float32 attention products");

    private AttentionProduct() {}

    /** a b for a (B, H, T, K) and b (B, H, K, N): (B, H, T, N) float32 in {@code a}'s manager. */
    static NDArray of(NDArray a, NDArray b) {
        if (a.getShape().get(2) > 1 && LinearPrecision.current() == LinearPrecision.BFLOAT16) {
            PtSymbolBlock bf16 = MODULE.get();
            if (bf16 != null) {
                return bfloat16(bf16, a, b);
            }
        }
        return a.matMul(b);
    }

    private static NDArray bfloat16(PtSymbolBlock bf16, NDArray a, NDArray b) {
        if (JniUtils.isGradMode()) {
            return IValueUtils.forward(bf16, new NDList(a, b), true).singletonOrThrow();
        }
        try (IValue left = IValue.from((PtNDArray) a);
                IValue right = IValue.from((PtNDArray) b);
                IValue output = IValueUtils.runMethod(bf16, "forward", left, right)) {
            return output.toTensor((PtNDManager) a.getManager());
        }
    }
}
