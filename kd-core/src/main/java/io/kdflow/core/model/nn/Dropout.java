package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Inverted dropout (kept elements scaled by 1/(1-p), the rest zeroed) at train time, active only in
 * {@link RunMode#TRAINING}.
 *
 * <p>The keep mask is drawn here, from one SplitMix64 stream, and written straight into the mask tensor's memory:
 * libtorch's CPU {@code bernoulli_} costs about 18 ns an element (7 ms for a (32, 48, 256) activation, measured;
 * PyTorch 2.13's is as slow), which made dropout a quarter of a bart-small training step over its 22 calls. The
 * stream is seeded with {@link #seed} (the training loop does so before every step, as it seeds libtorch), so a
 * step's masks depend only on the seed and the order of the calls. Not for concurrent training in one process:
 * the stream is shared, like libtorch's default generator.
 */
public final class Dropout {

    private static final MaskStream STREAM = new MaskStream();

    private Dropout() {}

    /** Restarts the mask stream: the next masks depend only on {@code seed}. */
    public static void seed(long seed) {
        STREAM.seed(seed);
    }

    public static NDArray apply(NDArray x, double rate, RunMode mode) {
        if (!mode.dropoutActive() || rate <= 0) {
            return x;
        }
        if (rate >= 1 || x.getDataType() != DataType.FLOAT32 || !x.getDevice().equals(ai.djl.Device.cpu())) {
            return x.getNDArrayInternal().dropout(x, (float) rate, true).singletonOrThrow();
        }
        NDArray mask = x.getManager().create(x.getShape(), DataType.FLOAT32); // same shape, uninitialised
        FloatBuffer memory = mask.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
        STREAM.fill(memory, rate);
        if (!writesReachTensors) {
            requireWritesReachTheTensor(mask, memory);
        }
        return x.mul(mask);
    }

    private static volatile boolean writesReachTensors;

    /**
     * DJL hands out a buffer over a contiguous CPU tensor's own memory (the optimizer relies on it too); were it a
     * copy, the mask would be uninitialised memory. Checked once, on the first mask.
     */
    private static void requireWritesReachTheTensor(NDArray mask, FloatBuffer memory) {
        if (mask.size() > 0) {
            float drawn = memory.get(0);
            memory.put(0, 42.5f); // a probe no mask holds
            try (NDArray flat = mask.flatten(); NDArray first = flat.get(0)) {
                if (first.getFloat() != 42.5f) {
                    throw new IllegalStateException("dropout: writes to the mask's buffer do not reach the tensor");
                }
            } finally {
                memory.put(0, drawn);
            }
        }
        writesReachTensors = true;
    }

    /**
     * SplitMix64 draws cut into four 16-bit uniforms each; an element is dropped when its uniform is below
     * round(p * 65536), so the drop probability is p to within 1/131072 (0.1 drops 6554 of 65536: 0.100006).
     */
    static final class MaskStream {

        private static final int CHUNK = 16_384; // a multiple of 4: a draw's four uniforms never straddle chunks

        private final float[] chunk = new float[CHUNK]; // filled in the heap, copied in bulk (a put per element is slower)
        private long state;

        synchronized void seed(long seed) {
            state = seed;
        }

        /** Fills {@code mask} with 0 (dropped, probability {@code rate}) or 1/(1-rate) (kept). */
        synchronized void fill(FloatBuffer mask, double rate) {
            int threshold = (int) Math.round(rate * 65536); // dropped when the 16-bit uniform < threshold
            float kept = (float) (1.0 / (1.0 - rate));
            int n = mask.capacity();
            long s = state;
            for (int from = 0; from < n; from += CHUNK) {
                int count = Math.min(CHUNK, n - from);
                for (int i = 0; i < count; i += 4) {
                    s += 0x9E3779B97F4A7C15L;
                    long z = s;
                    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
                    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
                    z ^= z >>> 31;
                    if (i + 4 <= count) {
                        chunk[i] = (int) (z & 0xFFFF) >= threshold ? kept : 0f;
                        chunk[i + 1] = (int) ((z >>> 16) & 0xFFFF) >= threshold ? kept : 0f;
                        chunk[i + 2] = (int) ((z >>> 32) & 0xFFFF) >= threshold ? kept : 0f;
                        chunk[i + 3] = (int) (z >>> 48) >= threshold ? kept : 0f;
                    } else {
                        for (int j = 0; i + j < count; j++) { // the last elements of the mask
                            chunk[i + j] = (int) ((z >>> (16 * j)) & 0xFFFF) >= threshold ? kept : 0f;
                        }
                    }
                }
                mask.put(from, chunk, 0, count);
            }
            state = s;
        }
    }
}
