package io.kdflow.core.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Examples as they stream in (the service trainer): a micro-batch becomes available each time
 * {@code batchSize} new examples have been added, in arrival order. Never exhausted; one epoch.
 */
public final class StreamingBatches implements BatchSource {

    private final int batchSize;
    private final long seed;
    private final List<TrainingExample> waiting = new ArrayList<>();
    private long delivered;

    public StreamingBatches(int batchSize, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** Queues one arrived example. */
    public void add(TrainingExample example) {
        waiting.add(example);
    }

    @Override
    public Optional<List<TrainingExample>> next() {
        if (waiting.size() < batchSize) {
            return Optional.empty();
        }
        List<TrainingExample> batch = List.copyOf(waiting.subList(0, batchSize));
        waiting.subList(0, batchSize).clear();
        delivered++;
        return Optional.of(batch);
    }

    @Override
    public boolean exhausted() {
        return false;
    }

    @Override
    public DataPosition position() {
        return new DataPosition(0, delivered, seed);
    }

    /** A stream is replayed from its offsets, not re-read: only the count of delivered batches is restored. */
    @Override
    public void seek(DataPosition position) {
        delivered = position.index();
    }
}
