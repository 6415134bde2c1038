package io.kdflow.core.decoding;

import io.kdflow.core.model.config.GenerationConfig.EarlyStopping;
import io.kdflow.core.wire.proto.DecodingSettings;
import io.kdflow.core.wire.proto.DecodingSettings.Strategy;

/**
 * Between {@link GenerationSettings} and the wire's {@link DecodingSettings} (a record's provenance says how
 * its text was decoded). The wire keeps what a reader needs to reproduce the decoding; it has no seed, no
 * min-new-tokens and one boolean for early stopping ({@code never} travels as {@code false}). Reading, a field
 * left at its proto3 zero keeps the value of the defaults given; floats come back as their shortest decimal
 * ({@code 0.9f} reads as {@code 0.9}).
 */
public final class DecodingSettingsMapping {

    private DecodingSettingsMapping() {}

    /** The wire form of {@code settings}; {@code num_return_sequences} is the sequences per input. */
    public static DecodingSettings toWire(GenerationSettings settings) {
        Strategy strategy = switch (settings.mode()) {
            case GREEDY -> Strategy.GREEDY;
            case BEAM_SEARCH -> Strategy.BEAM_SEARCH;
            case SAMPLING -> Strategy.SAMPLING;
        };
        return DecodingSettings.newBuilder()
                .setStrategy(strategy)
                .setNumBeams(settings.numBeams())
                .setTemperature((float) settings.temperature())
                .setTopK(settings.topK())
                .setTopP((float) settings.topP())
                .setMaxNewTokens(settings.maxNewTokens())
                .setLengthPenalty((float) settings.lengthPenalty())
                .setEarlyStopping(settings.earlyStopping() == EarlyStopping.TRUE)
                .setNumReturnSequences(settings.sequencesPerInput())
                .build();
    }

    /** {@code defaults} with what {@code wire} sets; an unspecified strategy keeps the defaults' mode. */
    public static GenerationSettings fromWire(DecodingSettings wire, GenerationSettings defaults) {
        GenerationSettings.Builder builder = defaults.toBuilder();
        boolean sampling = switch (wire.getStrategy()) {
            case GREEDY -> {
                builder.doSample(false).numSamples(1).numBeams(1).numReturnSequences(1);
                yield false;
            }
            case BEAM_SEARCH -> {
                builder.doSample(false).numSamples(1);
                yield false;
            }
            case SAMPLING -> {
                builder.doSample(true).numBeams(1).numReturnSequences(1);
                yield true;
            }
            default -> defaults.doSample();
        };
        if (wire.getNumBeams() > 0 && !sampling && wire.getStrategy() != Strategy.GREEDY) {
            builder.numBeams(wire.getNumBeams());
        }
        if (wire.getTemperature() > 0) {
            builder.temperature(decimal(wire.getTemperature()));
        }
        if (wire.getStrategy() != Strategy.STRATEGY_UNSPECIFIED || wire.getTopK() > 0) {
            builder.topK(wire.getTopK()); // 0 means "no top-k" once the record states its strategy
        }
        if (wire.getTopP() > 0) {
            builder.topP(decimal(wire.getTopP()));
        }
        if (wire.getMaxNewTokens() > 0) {
            builder.maxNewTokens(wire.getMaxNewTokens()).minNewTokens(
                    Math.min(defaults.minNewTokens(), wire.getMaxNewTokens()));
        }
        if (wire.getLengthPenalty() != 0) {
            builder.lengthPenalty(decimal(wire.getLengthPenalty()));
        }
        if (wire.getStrategy() != Strategy.STRATEGY_UNSPECIFIED) {
            builder.earlyStopping(wire.getEarlyStopping() ? EarlyStopping.TRUE : EarlyStopping.FALSE);
        }
        if (wire.getNumReturnSequences() > 0) {
            if (sampling) {
                builder.numSamples(wire.getNumReturnSequences());
            } else if (wire.getStrategy() != Strategy.GREEDY) {
                builder.numReturnSequences(wire.getNumReturnSequences());
            }
        }
        return builder.build();
    }

    private static double decimal(float value) {
        return Double.parseDouble(Float.toString(value));
    }
}
