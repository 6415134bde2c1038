package io.kdflow.core.tokenizer;

import io.kdflow.core.error.BadInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The special tokens and post-processor template that a model family expects from its tokenizer.
 * Leading special tokens take ids 0, 1, ...; trailing ones take the last ids of the vocabulary.
 * Templates use {@code $A}/{@code $B} for the sequences, anything else names a special token.
 */
public enum TokenizerArchitecture {

    /** BART (and RoBERTa): {@code <s>}=0 {@code <pad>}=1 {@code </s>}=2 {@code <unk>}=3, {@code <mask>} last. */
    BART(List.of("<s>", "<pad>", "</s>", "<unk>"), List.of("<mask>"),
            List.of("<s>", "$A", "</s>"), List.of("<s>", "$A", "</s>", "</s>", "$B", "</s>")),

    /** T5: {@code <pad>}=0 {@code </s>}=1 {@code <unk>}=2; inputs end with {@code </s>}. */
    T5(List.of("<pad>", "</s>", "<unk>"), List.of(),
            List.of("$A", "</s>"), List.of("$A", "</s>", "$B", "</s>")),

    /** GPT-2: {@code <|endoftext|>}=0 and no template. */
    GPT2(List.of("<|endoftext|>"), List.of(), List.of(), List.of());

    /** Special tokens that swallow the space before them, as BART's {@code <mask>} does. */
    private static final Set<String> LEFT_STRIPPED = Set.of("<mask>");

    private final List<String> leadingSpecialTokens;
    private final List<String> trailingSpecialTokens;
    private final List<String> singleTemplate;
    private final List<String> pairTemplate;

    TokenizerArchitecture(List<String> leadingSpecialTokens, List<String> trailingSpecialTokens,
                          List<String> singleTemplate, List<String> pairTemplate) {
        this.leadingSpecialTokens = leadingSpecialTokens;
        this.trailingSpecialTokens = trailingSpecialTokens;
        this.singleTemplate = singleTemplate;
        this.pairTemplate = pairTemplate;
    }

    /** Parses {@code bart}, {@code t5} or {@code gpt2} (also {@code gpt-2}), in any case. */
    public static TokenizerArchitecture fromName(String name) {
        String key = name.trim().toUpperCase(Locale.ROOT).replace("-", "");
        for (TokenizerArchitecture architecture : values()) {
            if (architecture.name().equals(key)) {
                return architecture;
            }
        }
        throw new BadInputException("unknown tokenizer architecture '" + name + "': expected one of "
                + Arrays.stream(values()).map(a -> a.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }

    public List<String> leadingSpecialTokens() {
        return leadingSpecialTokens;
    }

    public List<String> trailingSpecialTokens() {
        return trailingSpecialTokens;
    }

    public int specialTokenCount() {
        return leadingSpecialTokens.size() + trailingSpecialTokens.size();
    }

    /** The single-sequence template; empty when the architecture adds no special tokens. */
    public List<String> singleTemplate() {
        return singleTemplate;
    }

    public List<String> pairTemplate() {
        return pairTemplate;
    }

    boolean stripsSpaceBefore(String specialToken) {
        return LEFT_STRIPPED.contains(specialToken);
    }
}
