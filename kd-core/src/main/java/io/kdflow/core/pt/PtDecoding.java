package io.kdflow.core.pt;

import io.kdflow.core.wire.proto.DecodingSettings;

/**
 * How the teacher draws its K pseudo-targets, with the paper's settings (docs/method.md, "PT decoding").
 * Whatever the drawing temperature, the distribution attached to every position is the teacher's unscaled
 * (temperature 1) one.
 */
public enum PtDecoding {

    /** The K best beams of one beam search (num_beams >= K, num_return_sequences = K). */
    BEAM_SEARCH(DecodingSettings.Strategy.BEAM_SEARCH, 1.0),
    /** K independent samples: temperature 1.0, top-p 0.95, top-k 50 (the study's choice). */
    SAMPLING(DecodingSettings.Strategy.SAMPLING, 1.0),
    /** K independent samples at temperature 1.5, top-p 0.95, top-k 50. */
    HIGH_TEMPERATURE_SAMPLING(DecodingSettings.Strategy.SAMPLING, 1.5);

    /** Nucleus mass of the sampling modes. */
    public static final double TOP_P = 0.95;
    /** Top-k filter of the sampling modes (transformers' default the reference code never overrode). */
    public static final int TOP_K = 50;

    private final DecodingSettings.Strategy strategy;
    private final double temperature;

    PtDecoding(DecodingSettings.Strategy strategy, double temperature) {
        this.strategy = strategy;
        this.temperature = temperature;
    }

    /** The wire strategy (provenance). */
    public DecodingSettings.Strategy strategy() {
        return strategy;
    }

    /** The temperature tokens are drawn at (1 for beam search). */
    public double temperature() {
        return temperature;
    }

    public boolean sampling() {
        return strategy == DecodingSettings.Strategy.SAMPLING;
    }
}
