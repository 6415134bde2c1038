package io.kdflow.core.pt;

import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import java.util.Objects;

/**
 * What a {@link PseudoTargetGenerator} produces and how.
 *
 * @param jobId             header.job_id of every record (non-empty, no '/')
 * @param teacherRevision   provenance.model_revision: content hash or URI of the teacher
 * @param decoding          beam search, sampling or high-temperature sampling
 * @param numPseudoTargets  K, PTs per input (>= 1; a K = 0 job writes GOLD records only, see
 *                          {@link PseudoTargetGenerator#gold})
 * @param numBeams          beam search width (>= K; ignored by the sampling modes)
 * @param maxSourceTokens   sources are cut to this many ids (end-of-sequence kept; a decoder-only teacher's
 *                          prompt keeps its last ids)
 * @param maxNewTokens      most tokens per PT (EOS included); gold targets are cut to the same length
 * @param distributionTopK  k of the sparse teacher distribution at every position (>= 1)
 * @param quantization      FP32, FP16 or INT8 encoding of its log-probs
 * @param batchSize         inputs per generation batch (a sampling call of K samples decodes K rows each)
 * @param seed              base seed of the samples (provenance.seed)
 */
public record PtSettings(
        String jobId,
        String teacherRevision,
        PtDecoding decoding,
        int numPseudoTargets,
        int numBeams,
        int maxSourceTokens,
        int maxNewTokens,
        int distributionTopK,
        Quantization quantization,
        int batchSize,
        long seed) {

    public PtSettings {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(teacherRevision, "teacherRevision");
        Objects.requireNonNull(decoding, "decoding");
        Objects.requireNonNull(quantization, "quantization");
        require(!jobId.isEmpty() && jobId.indexOf('/') < 0, "job id must be non-empty and free of '/', got \""
                + jobId + "\"");
        require(numPseudoTargets >= 1, "num_pseudo_targets must be >= 1, got " + numPseudoTargets);
        require(decoding.sampling() || numBeams >= numPseudoTargets, "beam search needs num_beams (" + numBeams
                + ") >= num_pseudo_targets (" + numPseudoTargets + ")");
        require(maxSourceTokens >= 1, "max_source_tokens must be >= 1, got " + maxSourceTokens);
        require(maxNewTokens >= 1, "max_new_tokens must be >= 1, got " + maxNewTokens);
        require(distributionTopK >= 1, "distribution_top_k must be >= 1, got " + distributionTopK);
        require(quantization != Quantization.QUANTIZATION_UNSPECIFIED && quantization != Quantization.UNRECOGNIZED,
                "quantization must be FP32, FP16 or INT8, got " + quantization);
        require(batchSize >= 1, "batch_size must be >= 1, got " + batchSize);
    }

    /** The paper's sampled PTs: K samples per input, k = 64 at INT8, batch 16, seed 42. */
    public static PtSettings sampling(String jobId, String teacherRevision, int numPseudoTargets, int maxNewTokens) {
        return new PtSettings(jobId, teacherRevision, PtDecoding.SAMPLING, numPseudoTargets, numPseudoTargets,
                512, maxNewTokens, 64, Quantization.INT8, 16, 42L);
    }

    public PtSettings withDecoding(PtDecoding value) {
        int beams = value.sampling() ? numBeams : Math.max(numBeams, numPseudoTargets);
        return new PtSettings(jobId, teacherRevision, value, numPseudoTargets, beams, maxSourceTokens, maxNewTokens,
                distributionTopK, quantization, batchSize, seed);
    }

    public PtSettings withDistribution(int topK, Quantization value) {
        return new PtSettings(jobId, teacherRevision, decoding, numPseudoTargets, numBeams, maxSourceTokens,
                maxNewTokens, topK, value, batchSize, seed);
    }

    public PtSettings withBatchSize(int value) {
        return new PtSettings(jobId, teacherRevision, decoding, numPseudoTargets, numBeams, maxSourceTokens,
                maxNewTokens, distributionTopK, quantization, value, seed);
    }

    public PtSettings withSeed(long value) {
        return new PtSettings(jobId, teacherRevision, decoding, numPseudoTargets, numBeams, maxSourceTokens,
                maxNewTokens, distributionTopK, quantization, batchSize, value);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
