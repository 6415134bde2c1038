package io.kdflow.core.compute;

import io.kdflow.core.model.PretrainedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The paper's latency: the time to generate one output at batch size 1 with greedy decoding and a fixed
 * output length, after warm-up calls, summarised by the median and the 90th percentile over the timed calls
 * (the paper averaged; the median is robust on shared CPUs).
 */
public final class LatencyBenchmark {

    private LatencyBenchmark() {}

    public static LatencyResult measure(PretrainedModel model, LatencySettings settings) {
        long[] inputs = SyntheticInputs.repeated(SyntheticInputs.fillerToken(model.config()), 1, settings.sourceLength());
        for (int i = 0; i < settings.warmupCalls(); i++) {
            FixedLengthGreedy.generate(model, inputs, 1, settings.sourceLength(), settings.newTokens());
        }
        OptionalLong rssBefore = ResidentMemory.resetPeak() ? ResidentMemory.currentBytes() : OptionalLong.empty();
        List<Double> millis = new ArrayList<>(settings.calls());
        double[] samples = new double[settings.calls()];
        for (int i = 0; i < settings.calls(); i++) {
            long start = System.nanoTime();
            FixedLengthGreedy.generate(model, inputs, 1, settings.sourceLength(), settings.newTokens());
            samples[i] = (System.nanoTime() - start) / 1e6;
            millis.add(samples[i]);
        }
        OptionalLong peakDelta = OptionalLong.empty();
        OptionalLong peak = ResidentMemory.peakBytes();
        if (rssBefore.isPresent() && peak.isPresent()) {
            peakDelta = OptionalLong.of(Math.max(0, peak.getAsLong() - rssBefore.getAsLong()));
        }
        long estimate = GenerationMemory.bytes(model.config(), 1, settings.sourceLength(), settings.newTokens());
        return new LatencyResult(settings, millis, Percentiles.median(samples), Percentiles.nearestRank(samples, 90),
                estimate, peakDelta);
    }
}
