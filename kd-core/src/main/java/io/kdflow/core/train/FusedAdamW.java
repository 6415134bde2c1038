package io.kdflow.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import io.kdflow.core.model.nn.LazyTorchScript;
import java.util.List;

/**
 * libtorch's fused AdamW kernel ({@code torch._fused_adamw_}, what {@code torch.optim.AdamW(fused=True)} runs): one
 * vectorised pass over each parameter, its gradient and both moments, in place, on the intra-op threads. DJL 0.36 does
 * not expose it, so it runs from a small TorchScript module written in memory. An update of bart-small's 9.5M
 * parameters took 5 ms inside the bench job's teacher training against 13 ms for kd-core's Java pass (Zen 5, 2
 * threads; docs/performance.md, "Fused AdamW").
 */
final class FusedAdamW {

    private static final String ARCHIVE = "kdflow_fused_adamw";
    private static final String CLASS = "FusedAdamW";
    /** Every parameter's step is the same count: the kernel reads the bias corrections from it. */
    private static final String SOURCE = """
              def forward(self: __torch__.FusedAdamW,
                params: List[Tensor],
                grads: List[Tensor],
                exp_avgs: List[Tensor],
                exp_avg_sqs: List[Tensor],
                lr: float,
                beta1: float,
                beta2: float,
                weight_decay: float,
                eps: float,
                step: float) -> int:
                count = torch.tensor(step)
                steps = annotate(List[Tensor], [])
                for _0 in range(torch.len(params)):
                  _1 = torch.append(steps, count)
                torch._fused_adamw_(params, grads, exp_avgs, exp_avg_sqs, annotate(List[Tensor], []), steps, \
            lr=lr, beta1=beta1, beta2=beta2, weight_decay=weight_decay, eps=eps, amsgrad=False, maximize=False, \
            grad_scale=None, found_inf=None)
                return torch.len(params)
            """;

    private static final LazyTorchScript MODULE = new LazyTorchScript(ARCHIVE, CLASS, SOURCE, "updating in Java");

    private FusedAdamW() {}

    /** Whether the kernel can run here (loads it on first use; logs once when it cannot). */
    static boolean available() {
        return MODULE.get() != null;
    }

    /**
     * One AdamW update of every parameter in place (the lists are parallel): decoupled weight decay, moments, and
     * the bias-corrected step of optimizer step {@code step} (counted from 1).
     */
    static void update(List<NDArray> parameters, List<NDArray> gradients, List<NDArray> firstMoments,
            List<NDArray> secondMoments, double learningRate, AdamW.Settings settings, double weightDecay, long step) {
        try (IValue params = list(parameters);
                IValue grads = list(gradients);
                IValue m = list(firstMoments);
                IValue v = list(secondMoments);
                IValue lr = IValue.from(learningRate);
                IValue beta1 = IValue.from(settings.beta1());
                IValue beta2 = IValue.from(settings.beta2());
                IValue decay = IValue.from(weightDecay);
                IValue eps = IValue.from(settings.epsilon());
                IValue count = IValue.from((double) step);
                IValue done = IValueUtils.runMethod(MODULE.get(), "forward", params, grads, m, v, lr, beta1, beta2, decay,
                        eps, count)) {
            if (done.toLong() != parameters.size()) {
                throw new IllegalStateException("fused AdamW updated " + done.toLong() + " of " + parameters.size()
                        + " parameters");
            }
        }
    }

    private static IValue list(List<NDArray> arrays) {
        return IValue.listFrom(arrays.stream().map(PtNDArray.class::cast).toArray(PtNDArray[]::new));
    }
}
