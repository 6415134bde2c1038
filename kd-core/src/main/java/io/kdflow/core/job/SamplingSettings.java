package io.kdflow.core.job;

import io.kdflow.core.pt.PtDecoding;
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
 * @param mode beam search, sampling or high-temperature sampling (agrees with {@code decoding})
 * @param includeLabeled whether the labeled (train) inputs get PTs
 * @param batchSize inputs per generation batch
 */
public record SamplingSettings(int numPseudoTargets, DecodingSettings decoding, boolean includeUnlabeled,
        int distributionTopK, TeacherDistribution.Quantization quantization, PtDecoding mode, boolean includeLabeled,
        int batchSize) {

    /** The documented defaults of {@code PseudoTargetSpec}: gold only, beam 4, 64 new tokens, top-64, FP16. */
    public static final SamplingSettings DEFAULTS = new SamplingSettings(0, DecodingSettings.newBuilder()
            .setStrategy(DecodingSettings.Strategy.BEAM_SEARCH).setNumBeams(4).setNumReturnSequences(1)
            .setMaxNewTokens(64).setTemperature(1f).setTopP(1f).setLengthPenalty(1f).build(),
            false, 64, TeacherDistribution.Quantization.FP16, PtDecoding.BEAM_SEARCH, true, 16);

    public SamplingSettings {
        if (numPseudoTargets < 0 || distributionTopK < 1 || batchSize < 1
                || decoding.getStrategy() == DecodingSettings.Strategy.STRATEGY_UNSPECIFIED
                || quantization == TeacherDistribution.Quantization.QUANTIZATION_UNSPECIFIED) {
            throw new IllegalArgumentException("inconsistent sampling settings: " + this);
        }
    }

    /** Beam-search PTs of the labeled inputs, 16 inputs a batch. */
    public SamplingSettings(int numPseudoTargets, DecodingSettings decoding, boolean includeUnlabeled,
            int distributionTopK, TeacherDistribution.Quantization quantization) {
        this(numPseudoTargets, decoding, includeUnlabeled, distributionTopK, quantization, PtDecoding.BEAM_SEARCH,
                true, 16);
    }
}
