package io.kdflow.core.train.objective;

import io.kdflow.core.decoding.ScoringPair;
import io.kdflow.core.decoding.TargetScore;
import io.kdflow.core.decoding.TeacherForcedScorer;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.wire.SparseDistribution;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores student samples with a teacher in this process, as teacher-service does for remote Joint-Teaching: the
 * teacher teacher-forced on each sample in one batched pass ({@link TeacherForcedScorer}, the scoring of the GOLD
 * records), its top-k at every position plus the tail mass, encoded with the job's quantization. {@link #score}
 * returns what a remote trainer decodes from the wire, so in-process and remote runs read the same numbers.
 */
public final class TeacherForcedSampleScorer implements StudentSampleScorer {

    private final TeacherForcedScorer scorer;
    private final int vocabSize;
    private final int topK;
    private final Quantization quantization;

    /**
     * @param config the teacher's generation config (decoder start and padding tokens)
     * @param topK tokens kept per position (the job's {@code pseudo_targets.distribution_top_k}), in [1, vocab]
     * @param quantization log-prob encoding (the job's {@code pseudo_targets.quantization})
     */
    public TeacherForcedSampleScorer(PretrainedModel teacher, GenerationConfig config, int topK,
            Quantization quantization) {
        this.vocabSize = teacher.config().vocabSize();
        if (topK < 1 || topK > vocabSize) {
            throw new IllegalArgumentException("top-k must be in [1, " + vocabSize + "], got " + topK);
        }
        if (quantization == Quantization.QUANTIZATION_UNSPECIFIED || quantization == Quantization.UNRECOGNIZED) {
            throw new IllegalArgumentException("quantization must be FP32, FP16 or INT8, got " + quantization);
        }
        this.scorer = new TeacherForcedScorer(teacher, config);
        this.topK = topK;
        this.quantization = quantization;
    }

    @Override
    public List<SparseDistribution> score(StudentSamples samples) {
        List<SparseDistribution> decoded = new ArrayList<>(samples.size());
        for (TeacherDistribution distribution : distributions(samples.sources(), samples.samples())) {
            decoded.add(SparseDistribution.fromProto(distribution));
        }
        return decoded;
    }

    /**
     * The wire distributions of the samples, one per row, in order.
     *
     * @throws BadInputException when a row's sample is empty or a token id lies outside the teacher's vocabulary
     */
    public List<TeacherDistribution> distributions(long[][] sources, long[][] samples) {
        if (sources.length != samples.length) {
            throw new IllegalArgumentException(sources.length + " sources for " + samples.length + " samples");
        }
        List<ScoringPair> pairs = new ArrayList<>(samples.length);
        for (int row = 0; row < samples.length; row++) {
            checkIds("source_token_ids", row, sources[row]);
            checkIds("token_ids", row, samples[row]);
            if (samples[row].length == 0) {
                throw new BadInputException("sample " + row + ": token_ids is empty; the teacher scores at least"
                        + " one token");
            }
            pairs.add(new ScoringPair(sources[row], samples[row]));
        }
        List<TargetScore> scores = scorer.score(pairs, topK);
        List<TeacherDistribution> distributions = new ArrayList<>(scores.size());
        for (TargetScore score : scores) {
            distributions.add(score.topK().toSparseDistribution().toProto(quantization));
        }
        return distributions;
    }

    public int vocabSize() {
        return vocabSize;
    }

    private void checkIds(String field, int row, long[] ids) {
        for (int p = 0; p < ids.length; p++) {
            if (ids[p] < 0 || ids[p] >= vocabSize) {
                throw new BadInputException("sample " + row + ": " + field + "[" + p + "] = " + ids[p]
                        + " lies outside the teacher's vocabulary [0, " + vocabSize + ")");
            }
        }
    }
}
