package io.kdflow.core.train.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.train.PairBatch;

/**
 * The KD loss of a Joint-Teaching student step: the student trained on its own samples against the teacher's
 * distributions on them. {@link InProcessSampleTeacher} runs the dense teacher in the process;
 * {@link ScoredSampleTeacher} reads the sparse distributions a {@link StudentSampleScorer} returns (teacher-service).
 */
public interface StudentSampleTeacher {

    /** Name recorded with the objective, e.g. {@code logit-kd(tau=1.0)}. */
    String name();

    /**
     * @param samples what the step sampled (ids and tokens, for a teacher outside the process)
     * @param pairs the same samples laid out as a batch: sources as inputs, samples as labels (B, T)
     * @return scalar loss
     */
    NDArray loss(NDManager manager, StudentSamples samples, PairBatch pairs);
}
