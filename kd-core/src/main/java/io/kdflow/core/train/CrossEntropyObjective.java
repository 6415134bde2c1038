package io.kdflow.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.CausalLm;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.nn.RunMode;

/**
 * Teacher-forced token cross-entropy of the student on the batch's targets (gold or pseudo-targets: fine-tuning
 * and sequence-level KD), exactly as {@code transformers} computes {@code loss}: an encoder-decoder's decoder fed
 * the labels shifted right; a decoder-only model fed prompt + target ({@link DecoderOnlyBatch}) with the prompt
 * and padding labelled -100, so the mean runs over target tokens only.
 */
public final class CrossEntropyObjective implements TrainingObjective {

    private final PretrainedModel student;

    public CrossEntropyObjective(PretrainedModel student) {
        this.student = student;
    }

    @Override
    public String name() {
        return "cross-entropy";
    }

    @Override
    public NDArray loss(NDManager manager, TrainingBatch batch, long step) {
        PairBatch pairs = batch.pairs();
        if (student instanceof CausalLm causal) {
            DecoderOnlyBatch joined = DecoderOnlyBatch.of(pairs, causal.config());
            return causal.loss(manager.create(joined.inputIds()), manager.create(joined.attentionMask()),
                    manager.create(joined.labels()), RunMode.TRAINING);
        }
        return ((Seq2SeqModel) student).loss(manager.create(pairs.inputIds()), manager.create(pairs.attentionMask()),
                manager.create(pairs.labels()), RunMode.TRAINING);
    }
}
