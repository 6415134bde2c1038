package io.kdflow.core.wire;

import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import java.util.Arrays;

/**
 * The contract of a sparse teacher distribution, checked on the wire ({@link TeacherDistribution}) and on
 * the Java value ({@link SparseDistribution}) by the same code. Sizes are compared before anything is
 * allocated or decoded, so a message that claims huge dimensions costs nothing.
 */
final class DistributionRules {

    /** Log-probs and tail masses may exceed 0 by this much (float rounding of log_softmax near p = 1). */
    static final float LOG_PROB_TOLERANCE = 1e-4f;

    private DistributionRules() {
    }

    /** Checks sizes, ranges and rows of a wire distribution; returns its decoded log-probs. */
    static float[] check(TeacherDistribution distribution, Violations violations) {
        Quantization quantization = checkQuantization(distribution, violations);
        long vocab = Integer.toUnsignedLong(distribution.getVocabSize());
        long k = Integer.toUnsignedLong(distribution.getK());
        long positions = Integer.toUnsignedLong(distribution.getPositions());
        checkShape(vocab, k, violations);
        // Both factors are below 2^32, so the unsigned product is exact in 64 bits.
        long values = positions * k;
        String shape = positions + " positions x k=" + k;
        if (distribution.getTokenIdsCount() != values) {
            throw violations.at("token_ids", "expected " + Long.toUnsignedString(values) + " ids for " + shape
                    + ", got " + distribution.getTokenIdsCount());
        }
        // From here positions * k equals a real list size, so it fits an int.
        long expectedBytes = values * LogProbQuantization.bytesPerValue(quantization);
        if (distribution.getLogProbs().size() != expectedBytes) {
            throw violations.at("log_probs", "expected " + expectedBytes + " bytes for " + shape + " at "
                    + quantization + ", got " + distribution.getLogProbs().size());
        }
        if (distribution.getTailLogMassCount() != positions) {
            throw violations.at("tail_log_mass", "expected " + positions + " values (one per position), got "
                    + distribution.getTailLogMassCount());
        }
        checkTemperature(distribution.getTemperature(), violations);
        checkRowRange(distribution, quantization, (int) positions, violations);
        int[] tokenIds = new int[(int) values];
        for (int i = 0; i < tokenIds.length; i++) {
            tokenIds[i] = distribution.getTokenIds(i);
        }
        float[] logProbs = LogProbQuantization.decode(distribution);
        float[] tail = new float[(int) positions];
        for (int p = 0; p < tail.length; p++) {
            tail[p] = distribution.getTailLogMass(p);
        }
        checkRows((int) positions, (int) k, vocab, tokenIds, logProbs, tail, violations);
        return logProbs;
    }

    static void checkShape(long vocab, long k, Violations violations) {
        if (vocab == 0) {
            throw violations.at("vocab_size", "must be > 0");
        }
        if (vocab > Integer.MAX_VALUE) {
            throw violations.at("vocab_size", "vocab_size=" + vocab + " exceeds the int32 token id range");
        }
        if (k == 0) {
            throw violations.at("k", "must be > 0");
        }
        if (k > vocab) {
            throw violations.at("k", "k=" + k + " exceeds vocab_size=" + vocab);
        }
    }

    static void checkTemperature(float temperature, Violations violations) {
        if (!(temperature > 0) || Float.isInfinite(temperature)) {
            throw violations.at("temperature", "must be finite and > 0 (1.0 = the unscaled distribution), got "
                    + temperature);
        }
    }

    /**
     * Per position: ids in [0, vocab) and distinct, log-probs finite, <= 0 and in descending order, tail
     * log-mass <= 0 or -inf (and -inf when k covers the whole vocabulary).
     */
    static void checkRows(int positions, int k, long vocab, int[] tokenIds, float[] logProbs, float[] tail,
            Violations violations) {
        if (positions == 0) {
            return;
        }
        int[] sortedRow = new int[k];
        for (int p = 0; p < positions; p++) {
            int start = p * k;
            for (int j = 0; j < k; j++) {
                checkTokenId(tokenIds[start + j], start + j, vocab, violations);
                checkLogProb(logProbs, start + j, p, j, violations);
            }
            System.arraycopy(tokenIds, start, sortedRow, 0, k);
            Arrays.sort(sortedRow);
            for (int j = 1; j < k; j++) {
                if (sortedRow[j] == sortedRow[j - 1]) {
                    throw violations.at("token_ids", "token id " + sortedRow[j] + " appears twice at position " + p);
                }
            }
            checkTail(tail[p], p, k == vocab, violations);
        }
    }

    private static Quantization checkQuantization(TeacherDistribution distribution, Violations violations) {
        Quantization quantization = distribution.getQuantization();
        if (quantization == Quantization.UNRECOGNIZED) {
            throw violations.at("quantization", "unknown enum value " + distribution.getQuantizationValue());
        }
        if (quantization == Quantization.QUANTIZATION_UNSPECIFIED) {
            throw violations.at("quantization", "must be FP32, FP16 or INT8, got QUANTIZATION_UNSPECIFIED");
        }
        return quantization;
    }

    private static void checkRowRange(TeacherDistribution distribution, Quantization quantization, int positions,
            Violations violations) {
        if (quantization != Quantization.INT8) {
            if (distribution.getRowMinCount() != 0 || distribution.getRowMaxCount() != 0) {
                throw violations.at(distribution.getRowMinCount() != 0 ? "row_min" : "row_max",
                        "only INT8 carries a row range, got values with " + quantization);
            }
            return;
        }
        if (distribution.getRowMinCount() != positions) {
            throw violations.at("row_min", "expected " + positions + " values (one per position) for INT8, got "
                    + distribution.getRowMinCount());
        }
        if (distribution.getRowMaxCount() != positions) {
            throw violations.at("row_max", "expected " + positions + " values (one per position) for INT8, got "
                    + distribution.getRowMaxCount());
        }
        for (int p = 0; p < positions; p++) {
            float min = distribution.getRowMin(p);
            float max = distribution.getRowMax(p);
            if (!Float.isFinite(min)) {
                throw violations.at("row_min[" + p + "]", "must be finite, got " + min);
            }
            if (!Float.isFinite(max)) {
                throw violations.at("row_max[" + p + "]", "must be finite, got " + max);
            }
            if (min > max) {
                throw violations.at("row_min[" + p + "]", "row_min=" + min + " exceeds row_max=" + max);
            }
        }
    }

    private static void checkTokenId(int tokenId, int index, long vocab, Violations violations) {
        if (tokenId < 0 || tokenId >= vocab) {
            throw violations.at("token_ids[" + index + "]",
                    "token id " + tokenId + " is outside [0, vocab_size=" + vocab + ")");
        }
    }

    private static void checkLogProb(float[] logProbs, int index, int position, int rank, Violations violations) {
        float value = logProbs[index];
        String where = " at position " + position + ", rank " + rank;
        if (!Float.isFinite(value)) {
            throw violations.at("log_probs", "non-finite value " + value + where);
        }
        if (value > LOG_PROB_TOLERANCE) {
            throw violations.at("log_probs", "log-prob " + value + " > 0" + where);
        }
        if (rank > 0 && value > logProbs[index - 1]) {
            throw violations.at("log_probs", "not in descending order" + where + ": " + value + " > "
                    + logProbs[index - 1] + " at rank " + (rank - 1));
        }
    }

    private static void checkTail(float tail, int position, boolean wholeVocabulary, Violations violations) {
        String field = "tail_log_mass[" + position + "]";
        if (Float.isNaN(tail)) {
            throw violations.at(field, "NaN");
        }
        if (tail > LOG_PROB_TOLERANCE) {
            throw violations.at(field, "log-mass " + tail + " > 0");
        }
        if (wholeVocabulary && tail != Float.NEGATIVE_INFINITY) {
            throw violations.at(field, "must be -Infinity when k == vocab_size (no tokens left), got " + tail);
        }
    }
}
