package io.kdflow.core.compute;

import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.config.ModelConfig;

/** The paper's throughput: the most examples per minute at the largest batch that fits a memory cap. */
public final class ThroughputBenchmark {

    private ThroughputBenchmark() {}

    /** The batch the measurement would use: the largest whose estimated memory fits the cap. */
    public static int batchSize(ModelConfig config, ThroughputSettings settings) {
        return BatchSizeSearch.largestFitting(
                batch -> GenerationMemory.bytes(config, batch, settings.sourceLength(), settings.newTokens()),
                settings.memoryCapBytes(), settings.maxBatch());
    }

    public static ThroughputResult measure(PretrainedModel model, ThroughputSettings settings) {
        int batch = batchSize(model.config(), settings);
        long[] inputs = SyntheticInputs.repeated(SyntheticInputs.fillerToken(model.config()), batch,
                settings.sourceLength());
        FixedLengthGreedy.generate(model, inputs, batch, settings.sourceLength(), settings.newTokens()); // warm-up
        double[] samples = new double[settings.calls()];
        for (int i = 0; i < samples.length; i++) {
            long start = System.nanoTime();
            FixedLengthGreedy.generate(model, inputs, batch, settings.sourceLength(), settings.newTokens());
            samples[i] = (System.nanoTime() - start) / 1e6;
        }
        double median = Percentiles.median(samples);
        long bytes = GenerationMemory.bytes(model.config(), batch, settings.sourceLength(), settings.newTokens());
        return new ThroughputResult(settings, batch, bytes, median, batch * 60_000.0 / median);
    }
}
