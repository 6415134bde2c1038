package io.kdflow.core.pretrain;

import java.util.random.RandomGenerator;

/** Poisson-distributed integers by Knuth's multiplication method: O(lambda) uniforms per draw. */
final class Poisson {

    /** Above this, exp(-lambda) loses precision and the O(lambda) loop gets slow; spans that long make no sense. */
    static final double MAX_LAMBDA = 100;

    private Poisson() {
    }

    /**
     * One draw of Poisson({@code lambda}): the number of uniforms in (0, 1] whose running product stays
     * above exp(-lambda).
     */
    static int sample(RandomGenerator random, double lambda) {
        if (!(lambda > 0 && lambda <= MAX_LAMBDA)) {
            throw new IllegalArgumentException("lambda must be in (0, " + MAX_LAMBDA + "], got " + lambda);
        }
        double limit = Math.exp(-lambda);
        double product = 1.0 - random.nextDouble(); // (0, 1]
        int count = 0;
        while (product > limit) {
            count++;
            product *= 1.0 - random.nextDouble();
        }
        return count;
    }
}
