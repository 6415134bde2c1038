package io.kdflow.core.train.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.train.PairBatch;

/** Joint-Teaching's teacher in the process: the dense KD loss, teacher teacher-forced on the samples. */
final class InProcessSampleTeacher implements StudentSampleTeacher {

    private final DenseKdObjective kd;

    InProcessSampleTeacher(DenseKdObjective kd) {
        this.kd = kd;
    }

    @Override
    public String name() {
        return kd.name();
    }

    @Override
    public NDArray loss(NDManager manager, StudentSamples samples, PairBatch pairs) {
        return kd.lossOn(manager, pairs);
    }
}
