package io.kdflow.core.train.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.train.PairBatch;
import io.kdflow.core.wire.SparseDistribution;
import java.util.List;

/**
 * Joint-Teaching's teacher outside the process: the samples go to a {@link StudentSampleScorer} and the sparse KD
 * loss ({@link SparseKdObjective}) reads the distributions it returns. The step waits for the scores, so every
 * score is applied at the step that sampled it (staleness 0).
 */
public final class ScoredSampleTeacher implements StudentSampleTeacher {

    private final SparseKdObjective kd;
    private final StudentSampleScorer scorer;

    public ScoredSampleTeacher(SparseKdObjective kd, StudentSampleScorer scorer) {
        this.kd = kd;
        this.scorer = scorer;
    }

    @Override
    public String name() {
        return kd.name();
    }

    @Override
    public NDArray loss(NDManager manager, StudentSamples samples, PairBatch pairs) {
        List<SparseDistribution> scores = scorer.score(samples);
        if (scores.size() != samples.size()) {
            throw new IllegalStateException("the scorer returned " + scores.size() + " distributions for "
                    + samples.size() + " samples of step " + samples.step());
        }
        return kd.lossOn(manager, pairs, scores);
    }
}
