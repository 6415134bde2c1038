package io.kdflow.core.decoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The tokens one row generated so far, with their log-probs and (optionally) top-k rows. */
final class SequenceHistory {

    private long[] tokens;
    private float[] logProbs;
    private final List<int[]> topIds = new ArrayList<>();
    private final List<float[]> topLogProbs = new ArrayList<>();
    private int length;
    private boolean finished;

    SequenceHistory(int capacity) {
        tokens = new long[capacity];
        logProbs = new float[capacity];
    }

    /** @param topIds null when no top-k is recorded */
    void append(long token, float logProb, int[] topIds, float[] topLogProbs, boolean endsSequence) {
        tokens[length] = token;
        logProbs[length] = logProb;
        length++;
        if (topIds != null) {
            this.topIds.add(topIds);
            this.topLogProbs.add(topLogProbs);
        }
        finished = endsSequence;
    }

    boolean finished() {
        return finished;
    }

    Hypothesis toHypothesis(double lengthPenalty, int vocabSize) {
        long[] ids = Arrays.copyOf(tokens, length);
        float[] logs = Arrays.copyOf(logProbs, length);
        double sum = 0;
        for (float value : logs) {
            sum += value;
        }
        double score = length == 0 ? 0 : sum / Math.pow(length, lengthPenalty);
        TopKLogProbs top = topIds.isEmpty() ? null
                : TopKLogProbs.of(vocabSize, topIds.toArray(int[][]::new), topLogProbs.toArray(float[][]::new));
        return new Hypothesis(ids, logs, score, finished, top);
    }
}
