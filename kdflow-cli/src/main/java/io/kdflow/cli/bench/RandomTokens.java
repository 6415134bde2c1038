package io.kdflow.cli.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.error.BadInputException;
import java.util.SplittableRandom;

/** Uniform random token ids in [4, vocab), skipping the usual special ids 0..3, as the baseline does. */
final class RandomTokens {

    static final int FIRST_ORDINARY_ID = 4;

    private RandomTokens() {}

    /** rows x length ids, row-major. */
    static long[] of(SplittableRandom random, int rows, int length, int vocabSize) {
        if (vocabSize <= FIRST_ORDINARY_ID) {
            throw new BadInputException("vocab_size " + vocabSize + " leaves no ordinary token ids above 3");
        }
        long[] ids = new long[rows * length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(FIRST_ORDINARY_ID, vocabSize);
        }
        return ids;
    }

    /** (rows, length) int64 array of row-major ids. */
    static NDArray array(NDManager manager, long[] ids, int rows, int length) {
        return manager.create(ids, new Shape(rows, length));
    }
}
