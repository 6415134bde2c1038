package io.kdflow.core.model.nn;

/**
 * How decoder rows map onto cross-attention memory rows after a reorder: in runs of k consecutive rows that
 * share one memory row, so that the memory needs one row per run (k = 1: one per decoder row).
 */
final class MemoryRuns {

    private MemoryRuns() {}

    /** The largest k such that every aligned block of k consecutive entries holds one value (1 at least). */
    static int length(long[] memoryRows) {
        int first = 1;
        while (first < memoryRows.length && memoryRows[first] == memoryRows[0]) {
            first++;
        }
        for (int k = first; k > 1; k--) {
            if (memoryRows.length % k == 0 && blocksAreConstant(memoryRows, k)) {
                return k;
            }
        }
        return 1;
    }

    /** The memory row of each run of {@code run} entries. */
    static long[] firstOfEachRun(long[] memoryRows, int run) {
        long[] kept = new long[memoryRows.length / run];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = memoryRows[i * run];
        }
        return kept;
    }

    /** Whether {@code kept} is 0, 1, ..., size - 1. */
    static boolean isIdentity(long[] kept, long size) {
        if (kept.length != size) {
            return false;
        }
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] != i) {
                return false;
            }
        }
        return true;
    }

    private static boolean blocksAreConstant(long[] memoryRows, int k) {
        for (int i = 0; i < memoryRows.length; i++) {
            if (memoryRows[i] != memoryRows[i - i % k]) {
                return false;
            }
        }
        return true;
    }
}
