package io.kdflow.core.compute;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.CausalLm;
import io.kdflow.core.model.EncoderOutput;
import io.kdflow.core.model.IncrementalDecoder;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.nn.RunMode;
import java.util.List;

/**
 * Greedy generation of exactly {@code newTokens} tokens per row, the workload of the paper's latency and
 * throughput numbers ({@code generate(num_beams=1, min_length=max_new_tokens=T)}): end-of-sequence ids are
 * suppressed at every step, so no row stops early and every call does the same work.
 */
public final class FixedLengthGreedy {

    private FixedLengthGreedy() {}

    /**
     * Generates for a {@code batch x sourceLength} block of synthetic input ids.
     *
     * @return the generated ids, {@code batch x newTokens}, row-major
     */
    public static long[] generate(PretrainedModel model, long[] inputIds, int batch, int sourceLength, int newTokens) {
        if (newTokens < 1) {
            throw new IllegalArgumentException("newTokens must be >= 1, got " + newTokens);
        }
        if (inputIds.length != (long) batch * sourceLength) {
            throw new IllegalArgumentException("inputIds holds " + inputIds.length + " ids, expected batch "
                    + batch + " x sourceLength " + sourceLength);
        }
        try (NDManager run = model.manager().newSubManager()) {
            NDArray ids = run.create(inputIds, new Shape(batch, sourceLength)); // (B, S)
            NDArray noEos = eosSuppression(model, run);                             // (V)
            if (model instanceof Seq2SeqModel seq2seq) {
                return seq2seq(seq2seq, ids, noEos, newTokens, run);
            }
            if (model instanceof CausalLm causal) {
                return causal(causal, ids, noEos, newTokens, run);
            }
            throw new IllegalArgumentException("cannot generate with a " + model.config().modelType() + " model");
        }
    }

    private static long[] seq2seq(Seq2SeqModel model, NDArray ids, NDArray noEos, int newTokens, NDManager run) {
        Integer start = model.config().specialTokens().decoderStart();
        if (start == null) {
            throw new BadInputException("config.json has no decoder_start_token_id: cannot start decoding");
        }
        int batch = (int) ids.getShape().get(0);
        EncoderOutput encoded = model.encode(ids, ids.onesLike(), RunMode.INFERENCE); // (B, S, E)
        long[] current = new long[batch];
        java.util.Arrays.fill(current, start);
        long[] out = new long[batch * newTokens];
        try (IncrementalDecoder decoder = model.startDecoding(encoded, newTokens)) {
            for (int step = 0; step < newTokens; step++) {
                try (NDManager stepManager = run.newSubManager()) {
                    NDArray logits = decoder.step(stepManager.create(current, new Shape(batch, 1))); // (B, 1, V)
                    current = nextTokens(logits, noEos);
                }
                store(out, current, step, newTokens);
            }
        }
        return out;
    }

    private static long[] causal(CausalLm model, NDArray ids, NDArray noEos, int newTokens, NDManager run) {
        int batch = (int) ids.getShape().get(0);
        int sourceLength = (int) ids.getShape().get(1);
        long[] out = new long[batch * newTokens];
        try (IncrementalDecoder decoder = model.startDecoding(batch, sourceLength + newTokens)) {
            long[] current;
            try (NDManager prompt = run.newSubManager()) {
                ids.tempAttach(prompt); // the prompt's (B, S, V) logits are freed with this manager
                current = nextTokens(decoder.step(ids), noEos); // last position
            }
            store(out, current, 0, newTokens);
            for (int step = 1; step < newTokens; step++) {
                try (NDManager stepManager = run.newSubManager()) {
                    NDArray logits = decoder.step(stepManager.create(current, new Shape(batch, 1))); // (B, 1, V)
                    current = nextTokens(logits, noEos);
                }
                store(out, current, step, newTokens);
            }
        }
        return out;
    }

    /** Argmax of the last position's logits with end-of-sequence ids masked out. */
    private static long[] nextTokens(NDArray logits, NDArray noEos) {
        NDArray last = logits.get(":, -1, :"); // (B, V)
        return last.add(noEos).argMax(1).toLongArray();
    }

    private static void store(long[] out, long[] tokens, int step, int newTokens) {
        for (int row = 0; row < tokens.length; row++) {
            out[row * newTokens + step] = tokens[row];
        }
    }

    /** (V) zeros with -inf at every end-of-sequence id. */
    private static NDArray eosSuppression(PretrainedModel model, NDManager manager) {
        int vocab = model.config().vocabSize();
        float[] mask = new float[vocab];
        List<Integer> eos = model.config().specialTokens().eos();
        for (int id : eos) {
            if (id >= 0 && id < vocab) {
                mask[id] = Float.NEGATIVE_INFINITY;
            }
        }
        return manager.create(mask).toType(DataType.FLOAT32, false);
    }
}
