package io.kdflow.cli.options;

import io.kdflow.core.model.config.ModelConfig;
import picocli.CommandLine.Option;

/**
 * {@code --max-source-tokens N}: cuts each encoded source to N tokens keeping its final (end-of-sequence) token,
 * as transformers' tokenizer does with {@code truncation=True, max_length=N}. Without it a source longer than
 * the model's learned positions is refused with a message naming the example and this option.
 */
public final class SourceLimitOption {

    private static final TokenLimit LIMIT = new TokenLimit("--max-source-tokens", "source", 2, ": a token and the end token");

    @Option(names = "--max-source-tokens", paramLabel = "N",
            description = "Cut each source to N tokens, keeping its end token (default: no cut; a source longer than"
                    + " the model's positions is an error).")
    private Integer maxSourceTokens;

    /** The source ids to run for example {@code id}: cut to the limit, and checked against the model's positions. */
    public long[] apply(long[] ids, String id, ModelConfig config) {
        return LIMIT.apply(maxSourceTokens, ids, id, config);
    }
}
