package io.kdflow.core.compute;

import io.kdflow.core.model.PretrainedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@link LatencyBenchmark}'s measurement for several models compared with each other: the timed calls take
 * turns (model 1, model 2, ..., model 1, ...), so that a load change on a shared machine hits every model
 * alike and their ratio (the speed-up a report shows) stays meaningful. Timing the models one after the
 * other let a busy minute land on one model only (measured: a 5.3M student 6x slower than its 6.3M teacher).
 */
public final class InterleavedLatency {

    private InterleavedLatency() {}

    /** One result per model, in the given order; resident-memory growth is not measured (models share it). */
    public static List<LatencyResult> measure(List<? extends PretrainedModel> models, LatencySettings settings) {
        List<long[]> inputs = new ArrayList<>();
        for (PretrainedModel model : models) {
            long[] ids = SyntheticInputs.repeated(SyntheticInputs.fillerToken(model.config()), 1,
                    settings.sourceLength());
            inputs.add(ids);
            for (int i = 0; i < settings.warmupCalls(); i++) {
                FixedLengthGreedy.generate(model, ids, 1, settings.sourceLength(), settings.newTokens());
            }
        }
        double[][] samples = new double[models.size()][settings.calls()];
        for (int call = 0; call < settings.calls(); call++) {
            for (int m = 0; m < models.size(); m++) {
                long start = System.nanoTime();
                FixedLengthGreedy.generate(models.get(m), inputs.get(m), 1, settings.sourceLength(),
                        settings.newTokens());
                samples[m][call] = (System.nanoTime() - start) / 1e6;
            }
        }
        List<LatencyResult> results = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            List<Double> millis = new ArrayList<>();
            for (double sample : samples[m]) {
                millis.add(sample);
            }
            results.add(new LatencyResult(settings, millis, Percentiles.median(samples[m]),
                    Percentiles.nearestRank(samples[m], 90),
                    GenerationMemory.bytes(models.get(m).config(), 1, settings.sourceLength(), settings.newTokens()),
                    OptionalLong.empty()));
        }
        return results;
    }
}
