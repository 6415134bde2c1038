package io.kdflow.core.pretrain;

import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.tokenizer.SpecialTokenIds;
import io.kdflow.core.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.function.LongPredicate;
import java.util.random.RandomGenerator;

/**
 * Denoising pairs for pre-training, one per text and epoch, deterministic per (seed, epoch, index):
 * <ol>
 *   <li>the text's sentences are permuted ({@link SentencePermutation}) when the settings say so;</li>
 *   <li>it is encoded as a source ({@link TextEncoding#source}, e.g. {@code <s> text </s>}) and cut to
 *       {@code max_source_tokens} keeping the end token, so the noise falls on what the encoder sees;</li>
 *   <li>text infilling ({@link TextInfilling}) replaces spans by {@code <mask>}, never touching the
 *       {@code <s>}/{@code </s>}/{@code <pad>} tokens at the ends, and the result is cut to
 *       {@code max_source_tokens} again (inserted masks can lengthen it);</li>
 *   <li>the label is the unmodified text as a target ({@link TextEncoding#target}, e.g. {@code text </s>}),
 *       cut to {@code max_target_tokens} keeping the end token: the layout of gold pairs.</li>
 * </ol>
 * Each pair draws from its own {@link SplittableRandom}, seeded by mixing seed, epoch and index, so a pair
 * does not depend on which other pairs were built, nor in what order or on which thread.
 *
 * <p>Whole-word spans need to know which tokens start a word: a token starts one when its text (decoded
 * alone) begins with white space, which is what byte-level BPE's 'Ġ' prefix means. The first token of
 * the body always starts a word, so "Come, come" is the words "Come," and " come".
 */
public final class DenoisingExamples {

    private final TextEncoding encoding;
    private final List<String> texts;
    private final DenoisingSettings settings;
    private final long seed;
    private final TextInfilling infilling;

    /**
     * @param tokenizer the tokenizer {@code encoding} uses: it gives the {@code <mask>} id, the end tokens and
     *                  the word starts
     * @throws BadInputException if masking is on and the tokenizer has no {@code <mask>} token, or whole-word
     *                           spans are on and no token of the vocabulary starts a word
     */
    public DenoisingExamples(TextTokenizer tokenizer, TextEncoding encoding, List<String> texts,
                             DenoisingSettings settings, long seed) {
        Objects.requireNonNull(tokenizer, "tokenizer");
        this.encoding = Objects.requireNonNull(encoding, "encoding");
        this.texts = List.copyOf(texts);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.seed = seed;
        this.infilling = settings.maskRatio() == 0 ? null : new TextInfilling(maskId(tokenizer),
                settings.maskRatio(), settings.poissonLambda(), endTokens(tokenizer.specialTokenIds()),
                settings.wholeWordSpans() ? wordStarts(tokenizer) : id -> true);
    }

    /** Number of texts, hence of pairs per epoch. */
    public int size() {
        return texts.size();
    }

    /** The pair of text {@code index} in {@code epoch}. */
    public DenoisingPair pair(int epoch, int index) {
        String text = texts.get(Objects.checkIndex(index, texts.size()));
        RandomGenerator random = random(seed, epoch, index);
        String source = settings.permuteSentences() ? SentencePermutation.permute(text, random) : text;
        long[] sourceIds = TextEncoding.truncateKeepingEnd(encoding.source(source), settings.maxSourceTokens());
        if (infilling != null) {
            sourceIds = TextEncoding.truncateKeepingEnd(infilling.apply(sourceIds, random).ids(),
                    settings.maxSourceTokens());
        }
        long[] targetIds = TextEncoding.truncateKeepingEnd(encoding.target(text), settings.maxTargetTokens());
        return new DenoisingPair(sourceIds, targetIds);
    }

    /** The pairs of every text in {@code epoch}, in text order. */
    public List<DenoisingPair> epoch(int epoch) {
        List<DenoisingPair> pairs = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            pairs.add(pair(epoch, i));
        }
        return pairs;
    }

    /** The generator of one pair: SplitMix64 finalisers combine the three numbers. */
    static RandomGenerator random(long seed, int epoch, int index) {
        long state = mix(seed);
        state = mix(state ^ (0x9e3779b97f4a7c15L * (epoch + 1L)));
        state = mix(state ^ (0xc2b2ae3d27d4eb4fL * (index + 1L)));
        return new SplittableRandom(state);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static long maskId(TextTokenizer tokenizer) {
        OptionalInt mask = tokenizer.tokenToId("<mask>");
        if (mask.isEmpty()) {
            throw new BadInputException("denoising option mask_ratio: masking needs a <mask> token and the tokenizer"
                    + " has none (a BART tokenizer trained by kdflow has it as its last id); set mask_ratio to 0"
                    + " or use a tokenizer with <mask>");
        }
        return mask.getAsInt();
    }

    private static LongPredicate endTokens(SpecialTokenIds ids) {
        List<Long> ends = new ArrayList<>();
        for (OptionalInt id : List.of(ids.bos(), ids.eos(), ids.pad())) {
            id.ifPresent(value -> ends.add((long) value));
        }
        return ends::contains;
    }

    private static LongPredicate wordStarts(TextTokenizer tokenizer) {
        boolean[] starts = new boolean[tokenizer.vocabSize()];
        boolean any = false;
        for (int id = 0; id < starts.length; id++) {
            String text = tokenizer.decode(new long[] {id}, false);
            starts[id] = !text.isEmpty() && Character.isWhitespace(text.charAt(0));
            any |= starts[id];
        }
        if (!any) {
            throw new BadInputException("denoising option whole_word_spans: the tokenizer marks no word starts"
                    + " (no token decodes with a leading space, as byte-level BPE's 'Ġ' tokens do); set"
                    + " whole_word_spans to false for token-level spans");
        }
        return id -> id >= 0 && id < starts.length && starts[(int) id];
    }
}
