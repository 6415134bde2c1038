package io.kdflow.evaluator.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.metrics.MeanNll;
import io.kdflow.core.model.Labels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.RunMode;
import java.util.List;

/**
 * The paper's "PPL": teacher-forced negative log-likelihood of the gold target given the source, in nats,
 * accumulated per example (sum over target tokens, EOS included) into a {@link MeanNll}.
 */
public final class GoldNll {

    private GoldNll() {}

    /** Adds every (source, target) pair, {@code batchSize} pairs per forward pass. */
    public static MeanNll compute(Seq2SeqModel model, List<long[]> sources, List<long[]> targets, int batchSize) {
        Integer start = model.config().specialTokens().decoderStart();
        Integer pad = model.config().specialTokens().pad();
        if (start == null || pad == null) {
            throw new IllegalArgumentException("config.json needs decoder_start_token_id and pad_token_id for the NLL");
        }
        MeanNll nll = new MeanNll();
        try (Autograd.Scope noGrad = Autograd.disabled()) {
            for (int from = 0; from < sources.size(); from += batchSize) {
                int to = Math.min(sources.size(), from + batchSize);
                addBatch(model, sources.subList(from, to), targets.subList(from, to), start, pad, nll);
            }
        }
        return nll;
    }

    private static void addBatch(Seq2SeqModel model, List<long[]> sources, List<long[]> targets, int start, int pad,
            MeanNll nll) {
        try (NDManager batch = model.manager().newSubManager()) {
            NDArray ids = padded(batch, sources, pad);                               // (B, S)
            NDArray mask = lengthMask(batch, sources, ids.getShape());               // (B, S) 1/0
            NDArray labels = padded(batch, targets, Labels.IGNORE_INDEX);            // (B, T)
            NDArray decoderInput = Labels.shiftRight(labels, start, pad);            // (B, T)
            NDArray logits = model.logits(ids, mask, decoderInput, RunMode.INFERENCE); // (B, T, V)
            NDArray kept = labels.neq(Labels.IGNORE_INDEX);                          // (B, T)
            NDArray safeLabels = labels.mul(kept.toType(DataType.INT64, false)).expandDims(-1);
            NDArray tokenNll = logits.logSoftmax(-1).gather(safeLabels, 2).squeeze(2).neg(); // (B, T)
            float[] sums = tokenNll.mul(kept.toType(DataType.FLOAT32, false)).sum(new int[] {1}).toFloatArray();
            for (int i = 0; i < sums.length; i++) {
                nll.add(Math.max(0.0, sums[i]), targets.get(i).length);
            }
        }
    }

    /** 1 for each row's real tokens, 0 for padding (a pad id may also occur inside a source). */
    private static NDArray lengthMask(NDManager manager, List<long[]> rows, Shape shape) {
        int width = (int) shape.get(1);
        long[] values = new long[rows.size() * width];
        for (int row = 0; row < rows.size(); row++) {
            java.util.Arrays.fill(values, row * width, row * width + rows.get(row).length, 1L);
        }
        return manager.create(values, shape);
    }

    /** Rows right-padded with {@code fill} to the longest row: (B, maxLength) int64. */
    private static NDArray padded(NDManager manager, List<long[]> rows, long fill) {
        int width = 1;
        for (long[] row : rows) {
            if (row.length == 0) {
                throw new IllegalArgumentException("an NLL input or target has no tokens");
            }
            width = Math.max(width, row.length);
        }
        long[] values = new long[rows.size() * width];
        java.util.Arrays.fill(values, fill);
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, values, i * width, rows.get(i).length);
        }
        return manager.create(values, new Shape(rows.size(), width));
    }
}
