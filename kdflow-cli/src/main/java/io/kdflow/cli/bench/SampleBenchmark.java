package io.kdflow.cli.bench;

import io.kdflow.core.decoding.GenerationInput;
import io.kdflow.core.decoding.GenerationSettings;
import io.kdflow.core.decoding.Generator;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.config.GenerationConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Sampling throughput of the product's sampler: B random sources of S tokens through kd-core's
 * {@link Generator} with top-k 50 / top-p 0.95 sampling, exactly T new tokens per row (EOS is forbidden
 * until then, so no row stops early). Like the PyTorch baseline: one warm-up run, then one timed run that
 * includes the encoder.
 */
public final class SampleBenchmark {

    public static final int TOP_K = 50;
    public static final double TOP_P = 0.95;

    /**
     * @param seconds wall time of the timed run (encoder + T decoding steps)
     * @param tokensPerSecond new tokens per second, B * T / seconds
     */
    public record Result(double seconds, double tokensPerSecond) {}

    private final Generator generator;
    private final BenchShape shape;

    public SampleBenchmark(Seq2SeqModel model, BenchShape shape) {
        this.generator = new Generator(model, GenerationConfig.fromModelConfig(model.config()));
        this.shape = shape;
    }

    public Result run(long seed) {
        long[] ids = RandomTokens.of(new SplittableRandom(seed), shape.batch(), shape.sourceLength(),
                generator.model().config().vocabSize());
        List<GenerationInput> inputs = new ArrayList<>(shape.batch());
        for (int row = 0; row < shape.batch(); row++) {
            int from = row * shape.sourceLength();
            inputs.add(new GenerationInput(Arrays.copyOfRange(ids, from, from + shape.sourceLength()), row));
        }
        GenerationSettings settings = GenerationSettings.greedy(shape.targetLength()).toBuilder()
                .doSample(true).topK(TOP_K).topP(TOP_P).minNewTokens(shape.targetLength()).seed(seed).build();
        generator.generate(inputs, settings);
        long start = System.nanoTime();
        generator.generate(inputs, settings);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(seconds, shape.sampleTokens() / seconds);
    }
}
