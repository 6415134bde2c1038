package io.kdflow.cli.options;

import io.kdflow.core.model.config.ModelConfig;
import picocli.CommandLine.Option;

/**
 * {@code --max-target-tokens N}: cuts each encoded target to N tokens keeping its final (end-of-sequence) token, as
 * training cuts labels. Without it a target longer than an encoder-decoder's learned positions is refused with a
 * message naming the example and this option (the decoder is fed one position per target token).
 */
public final class TargetLimitOption {

    private static final TokenLimit LIMIT = new TokenLimit("--max-target-tokens", "target", 1, "");

    @Option(names = "--max-target-tokens", paramLabel = "N",
            description = "Cut each target to N tokens, keeping its end token (default: no cut; a target longer than"
                    + " the model's positions is an error).")
    private Integer maxTargetTokens;

    /** The target ids to score for example {@code id}: cut to the limit, and checked against the model's positions. */
    public long[] apply(long[] ids, String id, ModelConfig config) {
        return LIMIT.apply(maxTargetTokens, ids, id, config);
    }
}
