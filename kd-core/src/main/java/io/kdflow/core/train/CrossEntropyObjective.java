package io.kdflow.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.nn.RunMode;

/**
 * Teacher-forced token cross-entropy of an encoder-decoder student on the batch's targets (gold or
 * pseudo-targets: fine-tuning and sequence-level KD), exactly as {@code transformers} computes {@code loss}.
 */
public final class CrossEntropyObjective implements TrainingObjective {

    private final Seq2SeqModel student;

    public CrossEntropyObjective(Seq2SeqModel student) {
        this.student = student;
    }

    @Override
    public String name() {
        return "cross-entropy";
    }

    @Override
    public NDArray loss(NDManager manager, TrainingBatch batch, long step) {
        PairBatch pairs = batch.pairs();
        return student.loss(manager.create(pairs.inputIds()), manager.create(pairs.attentionMask()),
                manager.create(pairs.labels()), RunMode.TRAINING);
    }
}
