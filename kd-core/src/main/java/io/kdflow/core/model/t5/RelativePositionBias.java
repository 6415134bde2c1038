package io.kdflow.core.model.t5;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.model.nn.Embeddings;

/**
 * T5's learned relative position bias: (key - query) distances go into log-spaced buckets (half of
 * them per direction when bidirectional, the encoder; only the past for the decoder), each bucket has
 * one bias per head. The bucket of each distance is computed with libtorch's float32 ops in
 * {@code transformers}' order, because a bucket boundary can depend on the last bit of a logarithm.
 */
final class RelativePositionBias {

    private final NDArray table; // (buckets, H)
    private final boolean bidirectional;
    private final int numBuckets;
    private final int maxDistance;
    private final NDManager scratch;
    private long[] buckets = new long[0]; // bucket of distance (i - reach)
    private int reach = -1;

    RelativePositionBias(NDArray table, boolean bidirectional, int numBuckets, int maxDistance, NDManager scratch) {
        this.table = table;
        this.bidirectional = bidirectional;
        this.numBuckets = numBuckets;
        this.maxDistance = maxDistance;
        this.scratch = scratch;
    }

    /**
     * Bias of queries at positions {@code queryStart .. queryStart+queries-1} against keys
     * {@code 0 .. keys-1}: (1, H, queries, keys), built in {@code like}'s manager.
     */
    NDArray bias(NDArray like, int queryStart, int queries, int keys) {
        long[] ids = new long[queries * keys];
        synchronized (this) {
            ensureReach(Math.max(queryStart + queries, keys));
            for (int i = 0; i < queries; i++) {
                for (int j = 0; j < keys; j++) {
                    ids[i * keys + j] = buckets[j - (queryStart + i) + reach];
                }
            }
        }
        NDArray bucketIds = like.getManager().create(ids, new Shape(queries, keys));
        NDArray values = Embeddings.lookup(bucketIds, table); // (queries, keys, H)
        return values.transpose(2, 0, 1).expandDims(0);
    }

    private void ensureReach(int needed) {
        if (needed <= reach) {
            return;
        }
        int newReach = Math.max(needed, Math.max(64, 2 * reach));
        long[] distances = new long[2 * newReach + 1];
        for (int i = 0; i < distances.length; i++) {
            distances[i] = i - newReach;
        }
        buckets = computeBuckets(distances);
        reach = newReach;
    }

    /** {@code _relative_position_bucket} of {@code transformers}, op for op. */
    private long[] computeBuckets(long[] relative) {
        int buckets = numBuckets;
        long[] result = new long[relative.length];
        long[] magnitude = new long[relative.length];
        if (bidirectional) {
            buckets /= 2;
        }
        for (int i = 0; i < relative.length; i++) {
            if (bidirectional) {
                result[i] = relative[i] > 0 ? buckets : 0;
                magnitude[i] = Math.abs(relative[i]);
            } else {
                magnitude[i] = -Math.min(relative[i], 0);
            }
        }
        int maxExact = buckets / 2;
        long[] large = largeBuckets(magnitude, buckets, maxExact);
        for (int i = 0; i < relative.length; i++) {
            result[i] += magnitude[i] < maxExact ? magnitude[i] : large[i];
        }
        return result;
    }

    private long[] largeBuckets(long[] magnitude, int buckets, int maxExact) {
        try (NDManager manager = scratch.newSubManager()) {
            // log(0) is never selected (small distances use themselves); keep it finite anyway.
            NDArray distance = manager.create(magnitude).maximum(1L).toType(DataType.FLOAT32, false);
            NDArray scaled = distance.div(manager.create((float) maxExact)).log()
                    .div(manager.create((float) Math.log(maxDistance / (double) maxExact)))
                    .mul(manager.create((float) (buckets - maxExact)));
            NDArray large = scaled.toType(DataType.INT64, false).add(manager.create((long) maxExact))
                    .minimum(manager.create((long) (buckets - 1)));
            return large.toLongArray();
        }
    }
}
