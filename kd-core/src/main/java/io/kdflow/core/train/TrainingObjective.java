package io.kdflow.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The loss of one micro-batch for the student being trained. Implementations hold what they need besides
 * the batch (the student, a teacher replica in-process, a sampler of the current student).
 */
public interface TrainingObjective {

    /** Name recorded in checkpoints, e.g. {@code cross-entropy}. */
    String name();

    /**
     * A scalar loss, mean over the micro-batch, with autograd on; arrays it creates belong to {@code manager}.
     *
     * @param step the optimizer step this micro-batch counts towards (0 = first), so objectives that
     *     alternate between kinds of steps (Joint-Teaching) know which one this is
     */
    NDArray loss(NDManager manager, TrainingBatch batch, long step);
}
