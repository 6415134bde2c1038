package io.kdflow.cli.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.Linear;
import java.util.function.Supplier;

/**
 * The float32 matrix-multiply speed of this machine through the engine: the best of a few n x n
 * products, 2 n^3 FLOPs each, on both kernels the engine has (libtorch's {@code matmul}, MKL's sgemm; and a
 * {@link Linear} without gradients, oneDNN's packed product where {@link io.kdflow.core.model.nn.OneDnnLinear}
 * serves it). The denominator of model FLOP utilisation: on AMD CPUs, where sgemm runs AVX2 kernels only, the
 * packed product is twice as fast, and a training step using it would otherwise exceed "the peak".
 */
public final class MatmulPeak {

    public static final int DEFAULT_SIZE = 2048;
    private static final int REPEATS = 5;

    private MatmulPeak() {}

    /** Best observed GFLOP/s over {@value #REPEATS} timed products of each kernel after one warm-up each. */
    public static double gflops(NDManager parent, int size) {
        if (size < 1) {
            throw new BadInputException("matrix size must be >= 1, got " + size);
        }
        try (NDManager manager = parent.newSubManager(); Autograd.Scope noGrad = Autograd.disabled()) {
            NDArray a = manager.randomNormal(new Shape(size, size)); // (n, n)
            NDArray b = manager.randomNormal(new Shape(size, size));
            Linear packed = new Linear(b, null); // a b^T: the same FLOPs
            double best = Math.min(bestSeconds(() -> a.matMul(b)), bestSeconds(() -> packed.apply(a)));
            return 2.0 * size * size * size / best / 1e9;
        }
    }

    private static double bestSeconds(Supplier<NDArray> product) {
        product.get().close();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < REPEATS; i++) {
            long start = System.nanoTime();
            product.get().close();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }
}
