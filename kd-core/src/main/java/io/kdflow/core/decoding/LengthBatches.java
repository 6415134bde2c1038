package io.kdflow.core.decoding;

import io.kdflow.core.error.BadInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Batches of examples of similar length. A batch is padded to its longest row, and beam search and teacher-forced
 * scoring run every row as long as the longest, so batching the file's order wastes work on padding; sorting by
 * length first (longest first, so the batch that needs the most memory comes first) removes most of it. Outputs
 * are per example and independent of the batch they ran in (the parity tests), so only the order of the work
 * changes; callers put results back in input order.
 */
public final class LengthBatches {

    private LengthBatches() {}

    /**
     * @param lengths   each example's length (tokens), in input order
     * @param batchSize most examples per batch
     * @return the batches, each a list of input indices; every index appears once
     */
    public static List<int[]> of(int[] lengths, int batchSize) {
        if (batchSize < 1) {
            throw new BadInputException("batch size must be >= 1, got " + batchSize);
        }
        Integer[] order = new Integer[lengths.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // stable: equal lengths keep their input order, so the batches are reproducible
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> lengths[i]).reversed());
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            int[] batch = new int[to - from];
            for (int j = from; j < to; j++) {
                batch[j - from] = order[j];
            }
            batches.add(batch);
        }
        return batches;
    }

    /**
     * Consecutive windows of at most {@code window} examples in input order, each split into length-sorted
     * batches: a command that streams its output writes a window at a time in input order and holds no more.
     *
     * @return per window, its batches of input indices
     */
    public static List<List<int[]>> windows(int[] lengths, int batchSize, int window) {
        if (window < 1) {
            throw new BadInputException("window must be >= 1, got " + window);
        }
        List<List<int[]>> windows = new ArrayList<>();
        for (int from = 0; from < lengths.length; from += window) {
            int offset = from;
            List<int[]> batches = of(Arrays.copyOfRange(lengths, from, Math.min(lengths.length, from + window)), batchSize);
            for (int[] batch : batches) {
                for (int j = 0; j < batch.length; j++) {
                    batch[j] += offset;
                }
            }
            windows.add(batches);
        }
        return windows;
    }
}
