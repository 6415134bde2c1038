package io.kdflow.core.tokenizer;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Ids of the special tokens a model uses; each may be absent (T5 has no bos, GPT-2's tokenizer has no
 * pad). Values read from a tokenizer can be overridden by the model config ({@code pad_token_id}, ...).
 */
public record SpecialTokenIds(OptionalInt pad, OptionalInt bos, OptionalInt eos, OptionalInt unk) {

    public SpecialTokenIds {
        Objects.requireNonNull(pad, "pad");
        Objects.requireNonNull(bos, "bos");
        Objects.requireNonNull(eos, "eos");
        Objects.requireNonNull(unk, "unk");
    }

    /** No special token known. */
    public static SpecialTokenIds none() {
        return new SpecialTokenIds(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty());
    }

    /** Ids where {@code overrides} has a value, this record's ids elsewhere. */
    public SpecialTokenIds overriddenBy(SpecialTokenIds overrides) {
        return new SpecialTokenIds(
                firstPresent(overrides.pad, pad),
                firstPresent(overrides.bos, bos),
                firstPresent(overrides.eos, eos),
                firstPresent(overrides.unk, unk));
    }

    public SpecialTokenIds withPad(int id) {
        return new SpecialTokenIds(OptionalInt.of(id), bos, eos, unk);
    }

    public SpecialTokenIds withBos(int id) {
        return new SpecialTokenIds(pad, OptionalInt.of(id), eos, unk);
    }

    public SpecialTokenIds withEos(int id) {
        return new SpecialTokenIds(pad, bos, OptionalInt.of(id), unk);
    }

    public SpecialTokenIds withUnk(int id) {
        return new SpecialTokenIds(pad, bos, eos, OptionalInt.of(id));
    }

    private static OptionalInt firstPresent(OptionalInt preferred, OptionalInt fallback) {
        return preferred.isPresent() ? preferred : fallback;
    }
}
