package io.kdflow.cli.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.error.BadInputException;

/**
 * The float32 matrix-multiply speed of this machine through the engine: the best of a few n x n
 * products, 2 n^3 FLOPs each. The denominator of model FLOP utilisation.
 */
public final class MatmulPeak {

    public static final int DEFAULT_SIZE = 2048;
    private static final int REPEATS = 5;

    private MatmulPeak() {}

    /** Best observed GFLOP/s over {@value #REPEATS} timed products after one warm-up. */
    public static double gflops(NDManager parent, int size) {
        if (size < 1) {
            throw new BadInputException("matrix size must be >= 1, got " + size);
        }
        try (NDManager manager = parent.newSubManager()) {
            NDArray a = manager.randomNormal(new Shape(size, size)); // (n, n)
            NDArray b = manager.randomNormal(new Shape(size, size));
            a.matMul(b).close();
            double best = Double.MAX_VALUE;
            for (int i = 0; i < REPEATS; i++) {
                long start = System.nanoTime();
                a.matMul(b).close();
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
            }
            return 2.0 * size * size * size / best / 1e9;
        }
    }
}
