package io.kdflow.core.train;

/**
 * What one optimizer step did.
 *
 * @param step index of the update (0 = first)
 * @param loss mean of the micro-batch losses
 * @param learningRate rate used for this update
 * @param gradientNorm global gradient norm before clipping (NaN when clipping is off)
 */
public record StepResult(long step, double loss, double learningRate, double gradientNorm) {}
