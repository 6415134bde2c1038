package io.kdflow.core.job;

import io.kdflow.core.wire.proto.DecodingSettings;
import io.kdflow.core.wire.proto.TeacherDistribution;

/**
 * What the pseudo-target sampler does for one job ({@code JobSpec.pseudo_targets}), resolved and validated.
 *
 * @param numPseudoTargets K, pseudo-targets per input (0 = gold only)
 * @param decoding teacher decoding of the PTs (strategy set, every range checked)
 * @param includeUnlabeled whether unlabeled inputs get PTs too
 * @param distributionTopK top-k of the sparse teacher distribution attached to every target
 * @param quantization encoding of the distribution's log-probs
 */
public record SamplingSettings(int numPseudoTargets, DecodingSettings decoding, boolean includeUnlabeled,
        int distributionTopK, TeacherDistribution.Quantization quantization) {

    /** The documented defaults of {@code PseudoTargetSpec}: gold only, beam 4, 64 new tokens, top-64, FP16. */
    public static final SamplingSettings DEFAULTS = new SamplingSettings(0, DecodingSettings.newBuilder()
            .setStrategy(DecodingSettings.Strategy.BEAM_SEARCH).setNumBeams(4).setNumReturnSequences(1)
            .setMaxNewTokens(64).setTemperature(1f).setTopP(1f).setLengthPenalty(1f).build(),
            false, 64, TeacherDistribution.Quantization.FP16);

    public SamplingSettings {
        if (numPseudoTargets < 0 || distributionTopK < 1
                || decoding.getStrategy() == DecodingSettings.Strategy.STRATEGY_UNSPECIFIED
                || quantization == TeacherDistribution.Quantization.QUANTIZATION_UNSPECIFIED) {
            throw new IllegalArgumentException("inconsistent sampling settings: " + this);
        }
    }
}
