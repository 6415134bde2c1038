package io.kdflow.core.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * Word-level Levenshtein distance from a hypothesis to a fixed reference, restricted to a beam around the
 * length-scaled diagonal, with the trace of edit operations, as sacrebleu's TER ({@code lib_ter.py}) does.
 *
 * <p>Costs are 1 for insertion, deletion and substitution. Row {@code i} (hypothesis prefix of length
 * {@code i}) only fills columns within {@code beam} of {@code floor(i * |ref| / |hyp|)}; the last row is
 * filled completely. Cells outside the beam stay "infinite". On equal costs a match/substitution is
 * preferred, then a deletion, then an insertion. The beam makes the distance a tercom approximation, so
 * it must be reproduced exactly, not replaced by the full dynamic programme.
 */
final class BeamEditDistance {

    static final char NOOP = ' ';
    static final char SUBSTITUTE = 's';
    static final char INSERT = 'i';
    static final char DELETE = 'd';
    private static final char UNDEFINED = 'x';

    private static final int BEAM_WIDTH = 25;
    private static final long INFINITY = 10_000_000_000_000_000L;

    private final List<String> reference;

    BeamEditDistance(List<String> reference) {
        this.reference = reference;
    }

    /** The distance and its trace (one operation per step, rewriting the hypothesis into the reference). */
    record Result(int distance, String trace) {
    }

    Result compute(List<String> hypothesis) {
        int rows = hypothesis.size();
        int cols = reference.size();
        long[][] cost = new long[rows + 1][cols + 1];
        char[][] op = new char[rows + 1][cols + 1];
        for (int j = 0; j <= cols; j++) {
            cost[0][j] = j;
            op[0][j] = INSERT;
        }
        for (int i = 1; i <= rows; i++) {
            Arrays.fill(cost[i], INFINITY);
            Arrays.fill(op[i], UNDEFINED);
        }
        double lengthRatio = rows > 0 ? (double) cols / rows : 1.0;
        int beam = BEAM_WIDTH < lengthRatio / 2 ? (int) Math.ceil(lengthRatio / 2 + BEAM_WIDTH) : BEAM_WIDTH;
        for (int i = 1; i <= rows; i++) {
            int diagonal = (int) Math.floor(i * lengthRatio);
            int minJ = Math.max(0, diagonal - beam);
            int maxJ = i == rows ? cols + 1 : Math.min(cols + 1, diagonal + beam);
            for (int j = minJ; j < maxJ; j++) {
                fillCell(hypothesis, cost, op, i, j);
            }
        }
        return new Result((int) cost[rows][cols], backtrace(op, rows, cols));
    }

    private void fillCell(List<String> hypothesis, long[][] cost, char[][] op, int i, int j) {
        if (j == 0) {
            cost[i][0] = cost[i - 1][0] + 1;
            op[i][0] = DELETE;
            return;
        }
        boolean same = hypothesis.get(i - 1).equals(reference.get(j - 1));
        relax(cost, op, i, j, cost[i - 1][j - 1] + (same ? 0 : 1), same ? NOOP : SUBSTITUTE);
        relax(cost, op, i, j, cost[i - 1][j] + 1, DELETE);
        relax(cost, op, i, j, cost[i][j - 1] + 1, INSERT);
    }

    private static void relax(long[][] cost, char[][] op, int i, int j, long candidate, char operation) {
        if (cost[i][j] > candidate) {
            cost[i][j] = candidate;
            op[i][j] = operation;
        }
    }

    private static String backtrace(char[][] op, int rows, int cols) {
        StringBuilder reversed = new StringBuilder();
        int i = rows;
        int j = cols;
        while (i > 0 || j > 0) {
            char operation = op[i][j];
            reversed.append(operation);
            switch (operation) {
                case NOOP, SUBSTITUTE -> {
                    i--;
                    j--;
                }
                case INSERT -> j--;
                case DELETE -> i--;
                default -> throw new IllegalStateException("TER trace left the beam at row " + i + ", column " + j
                        + " (hypothesis " + rows + " words, reference " + cols + " words)");
            }
        }
        return reversed.reverse().toString();
    }
}
