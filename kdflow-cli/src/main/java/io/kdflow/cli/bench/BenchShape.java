package io.kdflow.cli.bench;

import io.kdflow.core.error.BadInputException;

/**
 * The work of one benchmark: {@code batch} rows of {@code sourceLength} source tokens and
 * {@code targetLength} target tokens (training feeds targetLength - 1 decoder positions, as the
 * PyTorch baseline does; sampling generates targetLength new tokens).
 */
public record BenchShape(int batch, int sourceLength, int targetLength) {

    public BenchShape {
        if (batch < 1 || sourceLength < 1 || targetLength < 2) {
            throw new BadInputException("need batch >= 1, source length >= 1 and target length >= 2; got batch "
                    + batch + ", source " + sourceLength + ", target " + targetLength);
        }
    }

    /** Target tokens one training step learns from: B * (T - 1). */
    public long trainTokens() {
        return (long) batch * (targetLength - 1);
    }

    /** New tokens one sampling run generates: B * T. */
    public long sampleTokens() {
        return (long) batch * targetLength;
    }
}
