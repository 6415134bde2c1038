package io.kdflow.core.train;

/**
 * One AdamW update of a run of elements, in float32 with the operation order of
 * {@code torch.optim.AdamW}'s single-tensor path: {@code p *= 1 - lr*wd}, {@code m.lerp_(g, 1 - beta1)}
 * (fused multiply-add, as libtorch's vectorised lerp), {@code v = v*beta2 + (1-beta2)*g*g},
 * {@code denom = sqrt(v)/sqrt(1-beta2^t) + eps}, {@code p += (-lr/(1-beta1^t)) * m / denom}.
 * Written as a plain loop over arrays so that HotSpot vectorises it.
 */
record AdamWKernel(float decay, float oneMinusBeta1, float beta2, float oneMinusBeta2, float sqrtCorrection2,
        float epsilon, float negativeStepSize) {

    void update(float[] p, float[] g, float[] m, float[] v, int length) {
        for (int i = 0; i < length; i++) {
            float gi = g[i];
            float mi = Math.fma(oneMinusBeta1, gi - m[i], m[i]);
            float vi = v[i] * beta2 + oneMinusBeta2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            float denominator = (float) Math.sqrt(vi) / sqrtCorrection2 + epsilon;
            p[i] = p[i] * decay + negativeStepSize * mi / denominator;
        }
    }
}
