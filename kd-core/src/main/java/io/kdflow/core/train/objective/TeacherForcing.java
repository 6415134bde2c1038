package io.kdflow.core.train.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.Labels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.train.PairBatch;

/**
 * One batch's encoder-decoder inputs as arrays, with the decoder fed the labels shifted right, as
 * {@code transformers} does for teacher forcing.
 *
 * @param inputIds (B, S) int64
 * @param attentionMask (B, S) 1/0
 * @param labels (B, T) int64, -100 at padding
 * @param decoderInputIds (B, T) int64, decoder start token first
 */
record TeacherForcing(NDArray inputIds, NDArray attentionMask, NDArray labels, NDArray decoderInputIds) {

    static TeacherForcing of(NDManager manager, PairBatch pairs, Seq2SeqModel student) {
        Integer start = student.config().specialTokens().decoderStart();
        Integer pad = student.config().specialTokens().pad();
        if (start == null || pad == null) {
            throw new IllegalStateException("config.json needs decoder_start_token_id and pad_token_id to shift labels");
        }
        NDArray labels = manager.create(pairs.labels()); // (B, T)
        return new TeacherForcing(manager.create(pairs.inputIds()), manager.create(pairs.attentionMask()), labels,
                Labels.shiftRight(labels, start, pad));
    }

    /** (B, T) boolean: the positions the losses count. */
    NDArray mask() {
        return labels.neq(Labels.IGNORE_INDEX);
    }
}
