package io.kdflow.core.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Reorders an epoch's shuffled positions so that each micro-batch holds examples of similar length (the idea of
 * transformers' {@code group_by_length}): the shuffled positions are cut into windows of {@link #WINDOW_BATCHES}
 * micro-batches, each window is sorted longest first and cut into micro-batches, and the epoch's full micro-batches
 * are shuffled. Padding then costs little, while which examples meet in a window stays random. A shorter last
 * micro-batch stays last, so that reading the order {@code batchSize} at a time gives exactly these batches.
 */
final class LengthGroupedOrder {

    /** Micro-batches per sorted window: large enough for similar lengths to meet, small enough to stay random. */
    static final int WINDOW_BATCHES = 50;

    private LengthGroupedOrder() {}

    /**
     * @param shuffled the epoch's positions, already shuffled
     * @param lengths the length of the example at each position
     * @param random the epoch's generator (continues its shuffle, so the order is a function of seed and epoch)
     * @return the same positions, batch by batch
     */
    static List<Integer> of(List<Integer> shuffled, int[] lengths, int batchSize, Random random) {
        int window = batchSize * WINDOW_BATCHES;
        List<List<Integer>> batches = new ArrayList<>();
        for (int from = 0; from < shuffled.size(); from += window) {
            List<Integer> sorted = new ArrayList<>(shuffled.subList(from, Math.min(shuffled.size(), from + window)));
            sorted.sort(Comparator.comparingInt((Integer p) -> lengths[p]).reversed()); // stable: ties keep order
            for (int b = 0; b < sorted.size(); b += batchSize) {
                batches.add(sorted.subList(b, Math.min(sorted.size(), b + batchSize)));
            }
        }
        List<Integer> partial = !batches.isEmpty() && batches.get(batches.size() - 1).size() < batchSize
                ? batches.remove(batches.size() - 1) : List.of();
        Collections.shuffle(batches, random);
        List<Integer> order = new ArrayList<>(shuffled.size());
        batches.forEach(order::addAll);
        order.addAll(partial);
        return order;
    }
}
