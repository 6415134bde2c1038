package io.kdflow.core.testing;

import java.util.Random;

/**
 * Runs a randomized check many times with seeds derived from one base seed, so every run of the suite
 * tries the same inputs and a failure names the seed that reproduces it.
 */
public final class SeededTries {

    /** A check on one random input source. */
    @FunctionalInterface
    public interface Trial {
        void run(Random random) throws Exception;
    }

    private SeededTries() {}

    public static void run(long baseSeed, int tries, Trial trial) {
        for (int i = 0; i < tries; i++) {
            long seed = baseSeed * 1_000_003L + i;
            try {
                trial.run(new Random(seed));
            } catch (Exception | AssertionError e) {
                throw new AssertionError("try " + i + " failed (seed " + seed + "): " + e.getMessage(), e);
            }
        }
    }

    /** Random bytes of length 0..maxLength. */
    public static byte[] bytes(Random random, int maxLength) {
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        return bytes;
    }
}
