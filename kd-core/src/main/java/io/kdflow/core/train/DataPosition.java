package io.kdflow.core.train;

/**
 * Where a batch source stands, saved with each checkpoint so that a resumed run sees the same batches.
 *
 * @param epoch current epoch (0-based)
 * @param index micro-batches already delivered in that epoch
 * @param seed the shuffle seed (epoch e is shuffled with a generator derived from it and e)
 */
public record DataPosition(int epoch, long index, long seed) {

    public DataPosition {
        if (epoch < 0 || index < 0) {
            throw new IllegalArgumentException("data position must not be negative, got " + epoch + "/" + index);
        }
    }
}
