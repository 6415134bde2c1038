package io.kdflow.core.decoding;

import java.util.SplittableRandom;

/**
 * One random generator per (seed, input, sample): SplitMix64 finalisers combine the three numbers, so
 * a sample is the same whatever batch it is decoded in. {@link SplittableRandom}'s algorithm is fixed
 * by its specification, so the numbers are the same on every JVM.
 */
final class SampleRandom {

    private final SplittableRandom random;

    SampleRandom(long seed, long seedKey, int sampleIndex) {
        long state = mix(seed);
        state = mix(state ^ seedKey);
        state = mix(state ^ (0x9e3779b97f4a7c15L * (sampleIndex + 1L)));
        this.random = new SplittableRandom(state);
    }

    /** A uniform number in (0, 1]: never 0, so a token of probability 0 can never be drawn. */
    double nextUniform() {
        return 1.0 - random.nextDouble();
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
