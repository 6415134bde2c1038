package io.kdflow.core.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.model.EncoderOutput;
import io.kdflow.core.model.IncrementalDecoder;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.nn.RunMode;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Sampling throughput: encode B random sources of S tokens, then generate T new tokens per row with
 * top-k 50 / top-p 0.95 sampling through the KV-cached {@link IncrementalDecoder}, no early stop.
 * Like the PyTorch baseline: one warm-up run, then one timed run that includes the encoder.
 */
public final class SampleBenchmark {

    public static final int TOP_K = 50;
    public static final float TOP_P = 0.95f;

    /**
     * @param seconds wall time of the timed run (encoder + T decoding steps)
     * @param tokensPerSecond new tokens per second, B * T / seconds
     */
    public record Result(double seconds, double tokensPerSecond) {}

    private final Seq2SeqModel model;
    private final BenchShape shape;

    public SampleBenchmark(Seq2SeqModel model, BenchShape shape) {
        this.model = model;
        this.shape = shape;
    }

    public Result run(NDManager parent, long seed) {
        long[] source = RandomTokens.of(new SplittableRandom(seed), shape.batch(), shape.sourceLength(),
                model.config().vocabSize());
        try (NDManager scalars = parent.newSubManager()) {
            TopKTopPSampling sampling = new TopKTopPSampling(TOP_K, TOP_P, scalars);
            sample(parent, source, sampling);
            long start = System.nanoTime();
            sample(parent, source, sampling);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(seconds, shape.sampleTokens() / seconds);
        }
    }

    /** One full run; returns the last tokens (B, 1) as Java ids so nothing escapes its managers. */
    long[] sample(NDManager parent, long[] source, TopKTopPSampling sampling) {
        int rows = shape.batch();
        long[] mask = new long[source.length];
        Arrays.fill(mask, 1);
        Integer startToken = model.config().specialTokens().decoderStart();
        if (startToken == null) {
            throw new IllegalArgumentException("the config needs decoder_start_token_id to sample");
        }
        try (NDManager run = parent.newSubManager()) {
            EncoderOutput encoded = model.encode(RandomTokens.array(run, source, rows, shape.sourceLength()),
                    RandomTokens.array(run, mask, rows, shape.sourceLength()), RunMode.INFERENCE);
            try (IncrementalDecoder decoder = model.startDecoding(encoded, shape.targetLength())) {
                NDManager stepManager = run.newSubManager();
                NDArray tokens = stepManager.full(new Shape(rows, 1), startToken, DataType.INT64); // (B, 1)
                for (int i = 0; i < shape.targetLength(); i++) {
                    NDArray logits = decoder.step(tokens); // (B, 1, V)
                    NDArray next = sampling.next(logits.reshape(rows, -1));
                    NDManager nextManager = run.newSubManager();
                    next.attach(nextManager);
                    stepManager.close();
                    stepManager = nextManager;
                    tokens = next;
                }
                long[] last = tokens.toLongArray();
                stepManager.close();
                return last;
            }
        }
    }
}
