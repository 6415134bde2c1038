package io.kdflow.core.compute;

import java.util.function.IntToLongFunction;

/**
 * The largest generation batch whose memory stays under a cap, as the paper's
 * {@code find_max_batch_size_for_gen_v2} finds it: estimate one example's memory from batch 1, take the cap
 * over it as the first guess, then binary-search the exact boundary of a memory function that grows with
 * the batch.
 */
public final class BatchSizeSearch {

    private BatchSizeSearch() {}

    /**
     * @param bytesForBatch memory needed at a batch size; must not decrease as the batch grows
     * @param capBytes the memory budget
     * @param maxBatch the largest batch worth trying (the data or the machine may set it)
     * @return the largest batch in {@code [1, maxBatch]} with {@code bytesForBatch(b) <= capBytes}
     * @throws IllegalArgumentException when even batch 1 exceeds the cap
     */
    public static int largestFitting(IntToLongFunction bytesForBatch, long capBytes, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        long perExample = bytesForBatch.applyAsLong(1);
        if (perExample > capBytes) {
            throw new IllegalArgumentException("one example needs about " + perExample
                    + " bytes, above the memory cap of " + capBytes + " bytes");
        }
        long guess = perExample == 0 ? maxBatch : Math.min(maxBatch, capBytes / perExample);
        // Invariant: lo fits; hi does not fit, or is maxBatch + 1.
        int lo = 1;
        int hi = maxBatch + 1;
        int probe = (int) Math.max(1, guess);
        if (bytesForBatch.applyAsLong(probe) <= capBytes) {
            lo = probe;
        } else {
            hi = probe;
        }
        while (hi - lo > 1) {
            int mid = lo + (hi - lo) / 2;
            if (bytesForBatch.applyAsLong(mid) <= capBytes) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
