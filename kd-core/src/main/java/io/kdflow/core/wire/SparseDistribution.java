package io.kdflow.core.wire;

import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import java.util.Arrays;

/**
 * A teacher distribution over a target sequence kept sparse: per position the k most likely token ids in
 * descending log-prob order, their log-probs, and the log of the mass of every other token (the tail, -inf
 * when nothing is left). Arrays are row-major, positions x k. Immutable; accessors copy.
 *
 * <p>The Java side of {@link TeacherDistribution}: {@link #toProto} quantizes the log-probs (see
 * {@link LogProbQuantization}), {@link #fromProto} checks and decodes a wire distribution.
 */
public final class SparseDistribution {

    /**
     * Log-probs below this (including -inf of masked tokens) are stored as this value: exp(-10000) is zero
     * in any float format, and it keeps every value finite and inside the FP16 range.
     */
    public static final float LOG_PROB_FLOOR = -1e4f;

    private final int positions;
    private final int k;
    private final int vocabSize;
    private final int[] tokenIds;
    private final float[] logProbs;
    private final float[] tailLogMass;
    private final float temperature;

    /**
     * @param tokenIds    positions x k ids in [0, vocabSize), distinct within a position
     * @param logProbs    positions x k finite log-probs (<= 0), descending within a position
     * @param tailLogMass positions values, each <= 0 or -inf; -inf for every position when k == vocabSize
     * @param temperature softmax temperature the log-probs were computed at (1 = unscaled)
     * @throws IllegalArgumentException naming the field and position that breaks the contract
     */
    public SparseDistribution(int positions, int k, int vocabSize, int[] tokenIds, float[] logProbs,
            float[] tailLogMass, float temperature) {
        Violations violations = Violations.ofArgument("SparseDistribution");
        if (positions < 0) {
            throw violations.at("positions", "must be >= 0, got " + positions);
        }
        DistributionRules.checkShape(vocabSize < 0 ? 0 : vocabSize, k < 0 ? 0 : k, violations);
        long values = (long) positions * k;
        if (tokenIds.length != values) {
            throw violations.at("token_ids", "expected " + values + " ids for " + positions + " positions x k=" + k
                    + ", got " + tokenIds.length);
        }
        if (logProbs.length != values) {
            throw violations.at("log_probs", "expected " + values + " values for " + positions + " positions x k="
                    + k + ", got " + logProbs.length);
        }
        if (tailLogMass.length != positions) {
            throw violations.at("tail_log_mass", "expected " + positions + " values, got " + tailLogMass.length);
        }
        DistributionRules.checkTemperature(temperature, violations);
        DistributionRules.checkRows(positions, k, vocabSize, tokenIds, logProbs, tailLogMass, violations);
        this.positions = positions;
        this.k = k;
        this.vocabSize = vocabSize;
        this.tokenIds = tokenIds.clone();
        this.logProbs = logProbs.clone();
        this.tailLogMass = tailLogMass.clone();
        this.temperature = temperature;
    }

    /** Top-k of full log-prob rows computed at temperature 1. */
    public static SparseDistribution fromLogProbs(float[][] fullLogProbs, int k) {
        return fromLogProbs(fullLogProbs, k, 1f);
    }

    /**
     * Keeps the {@code k} most likely tokens of every row (ties: lower token id first) and sums the rest into
     * the tail: log(1 - sum exp(top-k)), -inf when k covers the vocabulary or the top-k hold all the mass.
     *
     * @param fullLogProbs positions rows of vocabSize log-probs (log_softmax output); values within
     *                     {@value DistributionRules#LOG_PROB_TOLERANCE} above 0 are taken as 0, values
     *                     below {@link #LOG_PROB_FLOOR} (and -inf) as the floor
     */
    public static SparseDistribution fromLogProbs(float[][] fullLogProbs, int k, float temperature) {
        int positions = fullLogProbs.length;
        if (positions == 0) {
            throw new IllegalArgumentException("fullLogProbs needs at least one row (it gives the vocabulary size)");
        }
        int vocabSize = fullLogProbs[0].length;
        if (k < 1 || k > vocabSize) {
            throw new IllegalArgumentException("k must be in [1, vocab size=" + vocabSize + "], got " + k);
        }
        int[][] ids = new int[positions][];
        float[][] top = new float[positions][];
        for (int p = 0; p < positions; p++) {
            float[] row = fullLogProbs[p];
            if (row.length != vocabSize) {
                throw new IllegalArgumentException("row " + p + " has " + row.length + " log-probs, row 0 has "
                        + vocabSize);
            }
            float[] clean = new float[vocabSize];
            for (int v = 0; v < vocabSize; v++) {
                clean[v] = cleanLogProb(row[v], "row " + p + ", token " + v);
            }
            ids[p] = TopK.indices(clean, k);
            top[p] = new float[k];
            for (int j = 0; j < k; j++) {
                top[p][j] = clean[ids[p][j]];
            }
        }
        return fromTopK(vocabSize, k, ids, top, temperature);
    }

    /**
     * From rows that already hold only the top-k (e.g. a decoder's per-step top-k log-probs): sorts each row
     * by descending log-prob (ties: lower id first), cleans values like {@link #fromLogProbs} and computes the
     * tail as log(1 - sum exp(top-k)).
     */
    public static SparseDistribution fromTopK(int vocabSize, int k, int[][] topIds, float[][] topLogProbs,
            float temperature) {
        int positions = topIds.length;
        if (topLogProbs.length != positions) {
            throw new IllegalArgumentException(positions + " id rows but " + topLogProbs.length + " log-prob rows");
        }
        if (k < 1 || k > vocabSize) {
            throw new IllegalArgumentException("k must be in [1, vocab size=" + vocabSize + "], got " + k);
        }
        int[] ids = new int[positions * k];
        float[] values = new float[positions * k];
        float[] tail = new float[positions];
        for (int p = 0; p < positions; p++) {
            if (topIds[p].length != k || topLogProbs[p].length != k) {
                throw new IllegalArgumentException("row " + p + " has " + topIds[p].length + " ids and "
                        + topLogProbs[p].length + " log-probs, expected k=" + k);
            }
            float[] clean = new float[k];
            for (int j = 0; j < k; j++) {
                clean[j] = cleanLogProb(topLogProbs[p][j], "row " + p + ", rank " + j);
            }
            int[] order = orderByIdWithinTies(TopK.indices(clean, k), topIds[p], clean);
            for (int j = 0; j < k; j++) {
                ids[p * k + j] = topIds[p][order[j]];
                values[p * k + j] = clean[order[j]];
            }
            tail[p] = k == vocabSize ? Float.NEGATIVE_INFINITY
                    : (float) LogSpace.logOneMinusExp(LogSpace.logSumExp(values, p * k, k));
        }
        return new SparseDistribution(positions, k, vocabSize, ids, values, tail, temperature);
    }

    /** Checks a wire distribution and decodes it. */
    public static SparseDistribution fromProto(TeacherDistribution distribution) {
        float[] logProbs = DistributionRules.check(distribution, Violations.ofWire("TeacherDistribution"));
        int[] ids = new int[distribution.getTokenIdsCount()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = distribution.getTokenIds(i);
        }
        float[] tail = new float[distribution.getTailLogMassCount()];
        for (int p = 0; p < tail.length; p++) {
            tail[p] = distribution.getTailLogMass(p);
        }
        return new SparseDistribution(distribution.getPositions(), distribution.getK(), distribution.getVocabSize(),
                ids, logProbs, tail, distribution.getTemperature());
    }

    /** The wire form, log-probs encoded with {@code quantization} (FP32 is exact). */
    public TeacherDistribution toProto(Quantization quantization) {
        LogProbQuantization.Encoded encoded = LogProbQuantization.encode(logProbs, positions, k, quantization);
        TeacherDistribution.Builder builder = TeacherDistribution.newBuilder()
                .setVocabSize(vocabSize)
                .setK(k)
                .setPositions(positions)
                .setQuantization(quantization)
                .setLogProbs(encoded.bytes())
                .setTemperature(temperature);
        for (int id : tokenIds) {
            builder.addTokenIds(id);
        }
        for (float mass : tailLogMass) {
            builder.addTailLogMass(mass);
        }
        for (int p = 0; p < encoded.rowMin().length; p++) {
            builder.addRowMin(encoded.rowMin()[p]).addRowMax(encoded.rowMax()[p]);
        }
        return builder.build();
    }

    public int positions() {
        return positions;
    }

    public int k() {
        return k;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public float temperature() {
        return temperature;
    }

    /** Token id at {@code rank} (0 = most likely) of {@code position}. */
    public int tokenId(int position, int rank) {
        return tokenIds[index(position, rank)];
    }

    /** Log-prob at {@code rank} (0 = most likely) of {@code position}. */
    public float logProb(int position, int rank) {
        return logProbs[index(position, rank)];
    }

    /** Log of the probability mass outside the top-k at {@code position}. */
    public float tailLogMass(int position) {
        return tailLogMass[position];
    }

    /** Row-major positions x k token ids (a copy). */
    public int[] tokenIds() {
        return tokenIds.clone();
    }

    /** Row-major positions x k log-probs (a copy). */
    public float[] logProbs() {
        return logProbs.clone();
    }

    /** One tail log-mass per position (a copy). */
    public float[] tailLogMass() {
        return tailLogMass.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SparseDistribution that
                && positions == that.positions && k == that.k && vocabSize == that.vocabSize
                && Float.compare(temperature, that.temperature) == 0
                && Arrays.equals(tokenIds, that.tokenIds) && Arrays.equals(logProbs, that.logProbs)
                && Arrays.equals(tailLogMass, that.tailLogMass);
    }

    @Override
    public int hashCode() {
        int hash = Arrays.hashCode(tokenIds);
        hash = 31 * hash + Arrays.hashCode(logProbs);
        hash = 31 * hash + Arrays.hashCode(tailLogMass);
        return 31 * hash + Float.hashCode(temperature);
    }

    @Override
    public String toString() {
        return "SparseDistribution[positions=" + positions + ", k=" + k + ", vocabSize=" + vocabSize
                + ", temperature=" + temperature + "]";
    }

    private int index(int position, int rank) {
        if (position < 0 || position >= positions || rank < 0 || rank >= k) {
            throw new IndexOutOfBoundsException("position " + position + ", rank " + rank + " outside "
                    + positions + " positions x k=" + k);
        }
        return position * k + rank;
    }

    private static float cleanLogProb(float value, String where) {
        if (Float.isNaN(value) || value > DistributionRules.LOG_PROB_TOLERANCE) {
            throw new IllegalArgumentException("log-prob at " + where + " must be <= 0 and not NaN, got " + value);
        }
        return Math.max(LOG_PROB_FLOOR, Math.min(0f, value));
    }

    /** Reorders ranks so that equal log-probs list the lower token id first. */
    private static int[] orderByIdWithinTies(int[] order, int[] ids, float[] values) {
        for (int j = 1; j < order.length; j++) {
            int held = order[j];
            int i = j - 1;
            while (i >= 0 && values[order[i]] == values[held] && ids[order[i]] > ids[held]) {
                order[i + 1] = order[i];
                i--;
            }
            order[i + 1] = held;
        }
        return order;
    }
}
