package io.kdflow.cli.options;

import io.kdflow.cli.UserError;
import io.kdflow.core.decoding.GenerationOptions;
import io.kdflow.core.model.config.GenerationConfig.EarlyStopping;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The decoding options of {@code generate}, as kd-core's {@link GenerationOptions}. */
public final class GenerationOptionsMixin {

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "Most generated tokens per sequence.")
    private Integer maxNewTokens;

    @Option(names = "--min-new-tokens", paramLabel = "N", description = "No EOS before this many tokens.")
    private Integer minNewTokens;

    @Option(names = "--num-beams", paramLabel = "N", description = "Beam search with N beams (1 = greedy).")
    private Integer numBeams;

    @Option(names = "--num-return-sequences", paramLabel = "N",
            description = "Beams returned per input; with --sample, samples per input.")
    private Integer numReturnSequences;

    @Option(names = "--length-penalty", paramLabel = "X", description = "Beam scores: sum log p / length^X.")
    private Double lengthPenalty;

    @Option(names = "--early-stopping", paramLabel = "true|false|never", description = "Beam search stopping rule.")
    private String earlyStopping;

    @Option(names = "--sample", description = "Sample instead of greedy/beam search.")
    private boolean sample;

    @Option(names = "--top-k", paramLabel = "K", description = "Sampling: keep the K most likely tokens (0 = all).")
    private Integer topK;

    @Option(names = "--top-p", paramLabel = "P", description = "Sampling: nucleus mass (1 = all).")
    private Double topP;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling: divide logits by T.")
    private Double temperature;

    @Option(names = "--seed", paramLabel = "S", description = "Sampling seed (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    private long seed;

    public GenerationOptions options() {
        return new GenerationOptions(maxNewTokens, minNewTokens, numBeams, numReturnSequences, lengthPenalty,
                earlyStopping == null ? null : parseEarlyStopping(earlyStopping), sample, topK, topP, temperature,
                seed);
    }

    private static EarlyStopping parseEarlyStopping(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> EarlyStopping.TRUE;
            case "false" -> EarlyStopping.FALSE;
            case "never" -> EarlyStopping.NEVER;
            default -> throw new UserError("--early-stopping: expected true, false or never, got \"" + value + "\"");
        };
    }
}
