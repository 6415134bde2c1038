package io.kdflow.core.metrics;

/**
 * Accumulates teacher-forced negative log-likelihoods of gold targets for the paper's "PPL", which is the
 * mean NLL in nats, not exponentiated.
 *
 * <p>Two means are offered because they differ when targets differ in length:
 * <ul>
 *   <li>{@link #tokenWeightedMean()}: total NLL over total target tokens, i.e. every token counts once.
 *       This is Hugging Face's token-mean cross-entropy over all the examples taken as one batch; the paper's
 *       number (the mean of per-batch token means) equals it when batches hold equally many tokens.</li>
 *   <li>{@link #perExampleMean()}: the mean over examples of each example's own per-token mean, i.e. every
 *       example counts once, whatever its length.</li>
 * </ul>
 * Not thread-safe: use one accumulator per thread and {@link #merge} them.
 */
public final class MeanNll {

    private double nllSum;
    private long tokens;
    private double exampleMeanSum;
    private long examples;

    /**
     * Adds one example.
     *
     * @param sumNll the sum of its per-token NLLs (nats, >= 0)
     * @param tokenCount how many target tokens the sum covers (> 0)
     * @return this accumulator
     */
    public MeanNll add(double sumNll, int tokenCount) {
        if (tokenCount <= 0) {
            throw new IllegalArgumentException("an example needs at least one target token, got tokenCount "
                    + tokenCount);
        }
        if (!(sumNll >= 0) || Double.isInfinite(sumNll)) {
            throw new IllegalArgumentException("sumNll must be a finite value >= 0, got " + sumNll);
        }
        nllSum += sumNll;
        tokens += tokenCount;
        exampleMeanSum += sumNll / tokenCount;
        examples++;
        return this;
    }

    /** Adds everything {@code other} has accumulated. */
    public MeanNll merge(MeanNll other) {
        nllSum += other.nllSum;
        tokens += other.tokens;
        exampleMeanSum += other.exampleMeanSum;
        examples += other.examples;
        return this;
    }

    /** Total NLL / total tokens. */
    public double tokenWeightedMean() {
        requireExamples();
        return nllSum / tokens;
    }

    /** Mean over examples of (example NLL / example tokens). */
    public double perExampleMean() {
        requireExamples();
        return exampleMeanSum / examples;
    }

    public long tokens() {
        return tokens;
    }

    public long examples() {
        return examples;
    }

    private void requireExamples() {
        if (examples == 0) {
            throw new IllegalStateException("no examples added: a mean NLL of nothing is undefined");
        }
    }
}
