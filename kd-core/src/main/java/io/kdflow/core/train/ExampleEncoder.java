package io.kdflow.core.train;

import io.kdflow.core.decoding.PositionBudget;
import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.model.config.ModelConfig;
import java.util.List;
import java.util.function.Function;

/**
 * Turns a micro-batch of examples into a {@link TrainingBatch}: each side from the record's token ids when it
 * carries them (the ids a teacher distribution belongs to), else from its text; then cut and padded.
 *
 * <p>Sources become model inputs as {@link TextEncoding#input} says: for a decoder-only model the task's
 * {@link PromptTemplate} applied to the source, keeping the prompt's last {@code maxSourceTokens} tokens (a
 * record's prompt ids are cut the same way); targets are {@link TextEncoding#target} (decoder-only: no special
 * tokens, EOS appended) cut to {@code maxTargetTokens} with the EOS kept. The {@link PairBatch} keeps prompts
 * and targets apart; decoder-only objectives join them with {@link DecoderOnlyBatch}.
 */
public final class ExampleEncoder implements Function<List<TrainingExample>, TrainingBatch> {

    private final TextEncoding encoding;
    private final PromptTemplate prompt;
    private final int maxSourceTokens;
    private final int maxTargetTokens;
    private final long padId;

    /** Sources as they are (no prompt template), no position check. */
    public ExampleEncoder(TextEncoding encoding, int maxSourceTokens, int maxTargetTokens, long padId) {
        this(encoding, PromptTemplate.NONE, maxSourceTokens, maxTargetTokens, padId);
    }

    /**
     * For the model with {@code config}, padding with its {@link DecoderOnlyBatch#padId}.
     *
     * @throws io.kdflow.core.error.BadInputException for a decoder-only model whose positions cannot hold
     *     {@code maxSourceTokens + maxTargetTokens}: a {@link DecoderOnlyBatch} left-pads prompts to the longest
     *     one and right-pads targets to the longest one, so the two limits together must fit
     */
    public ExampleEncoder(TextEncoding encoding, PromptTemplate prompt, int maxSourceTokens, int maxTargetTokens,
            ModelConfig config) {
        this(encoding, prompt, maxSourceTokens, maxTargetTokens, DecoderOnlyBatch.padId(config));
        PositionBudget.requireFits(config, maxSourceTokens, maxTargetTokens, "training batches of the "
                + "decoder-only model (prompts padded to the longest)", "max_source_tokens or max_target_tokens");
    }

    private ExampleEncoder(TextEncoding encoding, PromptTemplate prompt, int maxSourceTokens, int maxTargetTokens,
            long padId) {
        this.encoding = encoding;
        this.prompt = prompt;
        this.maxSourceTokens = maxSourceTokens;
        this.maxTargetTokens = maxTargetTokens;
        this.padId = padId;
    }

    @Override
    public TrainingBatch apply(List<TrainingExample> examples) {
        long[][] sources = new long[examples.size()][];
        long[][] targets = new long[examples.size()][];
        for (int i = 0; i < examples.size(); i++) {
            TrainingExample example = examples.get(i);
            long[] sourceIds = example.sourceIds();
            long[] targetIds = example.targetIds();
            sources[i] = sourceIds.length > 0 ? encoding.cutInput(sourceIds, maxSourceTokens)
                    : encoding.input(example.source(), prompt, maxSourceTokens);
            targets[i] = TextEncoding.truncateKeepingEnd(
                    targetIds.length > 0 ? targetIds : encoding.target(example.target()), maxTargetTokens);
        }
        return new TrainingBatch(examples, PairBatch.ofIds(sources, targets, maxSourceTokens, maxTargetTokens, padId));
    }
}
