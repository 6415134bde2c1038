package io.kdflow.cli.bench;

import io.kdflow.core.error.BadInputException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a benchmark run measures. */
public enum BenchMode {
    /** AdamW training steps ({@link TrainBenchmark}). */
    TRAIN,
    /** Top-k / top-p sampling with the KV cache ({@link SampleBenchmark}). */
    SAMPLE,
    /** The float32 matrix-multiply peak ({@link MatmulPeak}), for model FLOP utilisation. */
    PEAK;

    /** Parses names such as {@code train}, {@code sample}, {@code peak} (any case). */
    public static Set<BenchMode> parse(Iterable<String> names) {
        EnumSet<BenchMode> modes = EnumSet.noneOf(BenchMode.class);
        for (String name : names) {
            String trimmed = name.trim();
            try {
                modes.add(valueOf(trimmed.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new BadInputException("unknown bench mode '" + trimmed + "' (known: train, sample, peak)", e);
            }
        }
        if (modes.isEmpty()) {
            throw new BadInputException("no bench mode given (known: train, sample, peak)");
        }
        return modes;
    }
}
