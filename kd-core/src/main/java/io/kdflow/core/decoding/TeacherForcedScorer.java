package io.kdflow.core.decoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.CausalLm;
import io.kdflow.core.model.Labels;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.TargetPositions;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.DenormalFlush;
import io.kdflow.core.model.nn.RunMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Teacher-forced scoring: the log-prob of every target token given the source and the target tokens
 * before it, in one batched forward pass (no dropout, no autograd). For encoder-decoder models the
 * decoder is fed the labels shifted right, as {@code transformers} does when given {@code labels};
 * for decoder-only models the prompt and the target are fed as one sequence and the logits of the
 * positions before each target token are read. The mean of {@link TargetScore#nll()} weighted by
 * {@link TargetScore#tokens()} is the {@code loss} transformers reports for the same batch.
 */
public final class TeacherForcedScorer {

    private final PretrainedModel model;
    private final DecodingTokens tokens;

    public TeacherForcedScorer(PretrainedModel model, GenerationConfig config) {
        this.model = model;
        this.tokens = DecodingTokens.of(config);
    }

    /**
     * @param topK per position also return the k most likely tokens (0 = none)
     * @return one score per pair, in order
     */
    public List<TargetScore> score(List<ScoringPair> pairs, int topK) {
        int vocabSize = model.config().vocabSize();
        if (topK < 0 || topK > vocabSize) {
            throw new BadInputException("top-k must be in [0, " + vocabSize + "], got " + topK);
        }
        for (int i = 0; i < pairs.size(); i++) {
            if (pairs.get(i).targetLength() == 0) {
                throw new BadInputException("pair " + i + " has an empty target");
            }
        }
        if (pairs.isEmpty()) {
            return List.of();
        }
        DenormalFlush.ensureEnabled();
        try (Autograd.Scope noGrad = Autograd.disabled();
                NDManager batch = model.manager().newSubManager()) {
            Aligned aligned = model instanceof Seq2SeqModel seq2seq
                    ? encoderDecoder(seq2seq, pairs, batch)
                    : decoderOnly((CausalLm) model, pairs, batch);
            return read(aligned, pairs, topK, vocabSize);
        }
    }

    /**
     * Logits (N, V) at the N scored positions (target tokens other than -100, pair by pair, in order) and the
     * label (N) each predicts; no other position reaches the LM head.
     */
    private record Aligned(NDArray logits, NDArray labels) {}

    /** Positions whose log-softmax is taken at once: an (N, V) copy of the logits would double the batch's peak. */
    private static final int LOG_SOFTMAX_POSITIONS = 256;

    private Aligned encoderDecoder(Seq2SeqModel seq2seq, List<ScoringPair> pairs, NDManager batch) {
        if (tokens.decoderStart() == null || tokens.pad() == null) {
            throw new BadInputException("scoring needs decoder_start_token_id and pad_token_id in the config");
        }
        int rows = pairs.size();
        int sourceWidth = 0;
        int targetWidth = 0;
        for (int i = 0; i < rows; i++) {
            if (pairs.get(i).sourceLength() == 0) {
                throw new BadInputException("pair " + i + " has an empty source");
            }
            sourceWidth = Math.max(sourceWidth, pairs.get(i).sourceLength());
            targetWidth = Math.max(targetWidth, pairs.get(i).targetLength());
        }
        long[] ids = new long[rows * sourceWidth];
        long[] mask = new long[rows * sourceWidth];
        long[] labels = new long[rows * targetWidth];
        for (int i = 0; i < rows; i++) {
            ScoringPair pair = pairs.get(i);
            for (int t = 0; t < sourceWidth; t++) {
                boolean real = t < pair.sourceLength();
                ids[i * sourceWidth + t] = real ? pair.source(t) : tokens.pad();
                mask[i * sourceWidth + t] = real ? 1 : 0;
            }
            for (int t = 0; t < targetWidth; t++) {
                labels[i * targetWidth + t] = t < pair.targetLength() ? pair.target(t) : Labels.IGNORE_INDEX;
            }
        }
        NDArray labelArray = batch.create(labels, new Shape(rows, targetWidth));
        TargetPositions scored = TargetPositions.of(labelArray);
        NDArray logits = seq2seq.logitsAt(batch.create(ids, new Shape(rows, sourceWidth)),
                batch.create(mask, new Shape(rows, sourceWidth)),
                Labels.shiftRight(labelArray, tokens.decoderStart(), tokens.pad()), scored.indices(batch),
                RunMode.INFERENCE); // (N, V)
        return new Aligned(logits, scored.labels(batch));
    }

    private Aligned decoderOnly(CausalLm causal, List<ScoringPair> pairs, NDManager batch) {
        int rows = pairs.size();
        long[][] prompts = new long[rows][];
        int width = 0;
        for (int i = 0; i < rows; i++) {
            prompts[i] = pairs.get(i).sourceIds();
            if (prompts[i].length == 0) {
                if (tokens.bos() == null) {
                    throw new BadInputException("pair " + i + " has an empty prompt and the model has no "
                            + "bos_token_id to start from");
                }
                prompts[i] = new long[] {tokens.bos()};
            }
            width = Math.max(width, prompts[i].length + pairs.get(i).targetLength() - 1);
        }
        long pad = tokens.pad() == null ? 0 : tokens.pad();
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        long[] labels = new long[rows * width];
        java.util.Arrays.fill(labels, Labels.IGNORE_INDEX);
        int[] offsets = new int[rows];
        for (int i = 0; i < rows; i++) { // right padding; position p predicts the token at p + 1
            ScoringPair pair = pairs.get(i);
            int length = prompts[i].length + pair.targetLength() - 1; // the last target token is not fed
            offsets[i] = prompts[i].length - 1;
            for (int t = 0; t < width; t++) {
                long fed = pad;
                if (t < length) {
                    fed = t < prompts[i].length ? prompts[i][t] : pair.target(t - prompts[i].length);
                    mask[i * width + t] = 1;
                }
                ids[i * width + t] = fed == Labels.IGNORE_INDEX ? pad : fed;
            }
            for (int j = 0; j < pair.targetLength(); j++) {
                labels[i * width + offsets[i] + j] = pair.target(j);
            }
        }
        TargetPositions scored = TargetPositions.of(batch.create(labels, new Shape(rows, width)));
        NDArray logits = causal.logitsAt(batch.create(ids, new Shape(rows, width)),
                batch.create(mask, new Shape(rows, width)), scored.indices(batch), RunMode.INFERENCE); // (N, V)
        return new Aligned(logits, scored.labels(batch));
    }

    private static List<TargetScore> read(Aligned aligned, List<ScoringPair> pairs, int topK, int vocabSize) {
        int count = Math.toIntExact(aligned.labels().getShape().get(0));
        float[] picked = new float[count];
        float[] topValues = topK > 0 ? new float[count * topK] : null;
        long[] topIds = topK > 0 ? new long[count * topK] : null;
        for (int from = 0; from < count; from += LOG_SOFTMAX_POSITIONS) {
            int to = Math.min(count, from + LOG_SOFTMAX_POSITIONS);
            try (NDScope chunk = new NDScope()) {
                NDArray logProbs = aligned.logits().get("{}:{}", from, to).logSoftmax(1); // (n, V)
                NDArray labels = aligned.labels().get("{}:{}", from, to).expandDims(1); // (n, 1)
                System.arraycopy(logProbs.gather(labels, 1).toFloatArray(), 0, picked, from, to - from);
                if (topK > 0) {
                    var top = logProbs.topK(topK, 1, true, true); // (n, k) values and ids
                    System.arraycopy(top.get(0).toFloatArray(), 0, topValues, from * topK, (to - from) * topK);
                    System.arraycopy(top.get(1).toLongArray(), 0, topIds, from * topK, (to - from) * topK);
                }
            }
        }
        List<TargetScore> scores = new ArrayList<>(pairs.size());
        int position = 0; // the scored positions run pair by pair, token by token
        for (ScoringPair pair : pairs) {
            float[] logProbs = new float[pair.targetLength()];
            int[][] ids = topK > 0 ? new int[logProbs.length][topK] : null;
            float[][] values = topK > 0 ? new float[logProbs.length][topK] : null;
            for (int j = 0; j < logProbs.length; j++) {
                if (pair.target(j) == Labels.IGNORE_INDEX) { // not scored: NaN, and no top-k of its own
                    logProbs[j] = Float.NaN;
                    continue;
                }
                logProbs[j] = picked[position];
                for (int r = 0; r < topK; r++) {
                    ids[j][r] = Math.toIntExact(topIds[position * topK + r]);
                    values[j][r] = topValues[position * topK + r];
                }
                position++;
            }
            scores.add(new TargetScore(logProbs, topK > 0 ? TopKLogProbs.of(vocabSize, ids, values) : null));
        }
        return scores;
    }
}
