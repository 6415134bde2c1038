package io.kdflow.core.tokenizer;

import io.kdflow.core.error.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Merges learned on hand-made corpora, worked out by hand; vocabulary layout; bad arguments. */
class BpeTrainerMergesTest {

    private static final int GPT2_BASE = 256 + 1;

    @Test
    void shouldMergeTheMostFrequentPairFirstAndBreakTiesBySmallerIds() {
        // Words: "ab" x1, "Ġab" x2, "Ġabc" x1, "Ġabd" x1. Pairs: (a,b) 5, (Ġ,a) 4, (b,c) 1, (b,d) 1.
        // After a+b: (Ġ,ab) 4. After Ġ+ab: (Ġab,c) 1 and (Ġab,d) 1 tie; c has the smaller id.
        TrainedBpe bpe = train(TokenizerArchitecture.GPT2, GPT2_BASE + 4, 1, "ab ab ab abc abd");
        assertThat(bpe.merges()).containsExactly(
                new BpeMerge("a", "b"), new BpeMerge("Ġ", "ab"), new BpeMerge("Ġab", "c"), new BpeMerge("Ġab", "d"));
        assertThat(bpe.vocabulary().subList(GPT2_BASE, GPT2_BASE + 4)).containsExactly("ab", "Ġab", "Ġabc", "Ġabd");
        assertThat(bpe.stopReason()).isEqualTo(BpeStopReason.VOCAB_SIZE_REACHED);
    }

    @Test
    void shouldStopAtTheMinimumFrequency() {
        TrainedBpe bpe = train(TokenizerArchitecture.GPT2, GPT2_BASE + 4, 2, "ab ab ab abc abd");
        assertThat(bpe.merges()).containsExactly(new BpeMerge("a", "b"), new BpeMerge("Ġ", "ab"));
        assertThat(bpe.stopReason()).isEqualTo(BpeStopReason.BELOW_MIN_FREQUENCY);
        assertThat(bpe.vocabSize()).isEqualTo(GPT2_BASE + 2);
    }

    @Test
    void shouldStopWhenNoPairIsLeftAndSaySo() {
        TrainedBpe bpe = train(TokenizerArchitecture.GPT2, 1000, 1, "ab ab ab abc abd");
        assertThat(bpe.merges()).hasSize(4);
        assertThat(bpe.vocabSize()).isEqualTo(GPT2_BASE + 4);
        assertThat(bpe.requestedVocabSize()).isEqualTo(1000);
        assertThat(bpe.stopReason()).isEqualTo(BpeStopReason.NO_PAIRS_LEFT);
    }

    @Test
    void shouldMergeOverlappingRepeatsLeftToRight() {
        // "aaaa" -> [aa, aa] and "Ġaaa" -> [Ġ, aa, a] after the first merge (a,a) of count 3 + 2.
        // Then all pairs count 1: (Ġ,aa) < (aa,a) < (aa,aa) by ids, but merging Ġ+aa turns (aa,a)
        // into (Ġaa,a), and (aa,aa) = (257,257) comes before (Ġaa,a) = (258, id of a).
        TrainedBpe bpe = train(TokenizerArchitecture.GPT2, 1000, 1, "aaaa aaa");
        assertThat(bpe.merges()).containsExactly(
                new BpeMerge("a", "a"), new BpeMerge("Ġ", "aa"), new BpeMerge("aa", "aa"), new BpeMerge("Ġaa", "a"));
        assertThat(bpe.stopReason()).isEqualTo(BpeStopReason.NO_PAIRS_LEFT);
    }

    @Test
    void shouldMergeTheUtf8BytesOfNonAsciiCharacters() {
        // é is C3 A9 in UTF-8, written Ã© in the byte-level alphabet.
        TrainedBpe bpe = train(TokenizerArchitecture.GPT2, 1000, 2, "é é é");
        assertThat(bpe.merges()).containsExactly(new BpeMerge("Ã", "©"), new BpeMerge("Ġ", "Ã©"));
    }

    @Test
    void shouldLearnTheSameMergesWhateverTheOrderOfTheTexts() {
        List<String> texts = new ArrayList<>(List.of(
                "To be, or not to be, that is the question:",
                "Whether 'tis nobler in the mind to suffer",
                "The slings and arrows of outrageous fortune,",
                "Or to take arms against a sea of troubles",
                "And by opposing end them. To die - to sleep,"));
        TrainedBpe ordered = train(TokenizerArchitecture.BART, 400, 1, texts.toArray(String[]::new));
        Collections.shuffle(texts, new Random(7));
        TrainedBpe shuffled = train(TokenizerArchitecture.BART, 400, 1, texts.toArray(String[]::new));
        assertThat(shuffled.merges()).isEqualTo(ordered.merges());
        assertThat(shuffled.toTokenizerJson()).isEqualTo(ordered.toTokenizerJson());
    }

    @Test
    void shouldLayOutTheVocabularyAsEachArchitectureExpects() {
        TrainedBpe bart = train(TokenizerArchitecture.BART, 270, 1, "the theme of the thesis");
        assertThat(bart.vocabulary().subList(0, 5)).containsExactly("<s>", "<pad>", "</s>", "<unk>", "!");
        assertThat(bart.vocabulary().get(269)).isEqualTo("<mask>");
        assertThat(bart.vocabSize()).isEqualTo(270);
        TrainedBpe t5 = train(TokenizerArchitecture.T5, 270, 1, "the theme of the thesis");
        assertThat(t5.vocabulary().subList(0, 4)).containsExactly("<pad>", "</s>", "<unk>", "!");
        TrainedBpe gpt2 = train(TokenizerArchitecture.GPT2, 270, 1, "the theme of the thesis");
        assertThat(gpt2.vocabulary().subList(0, 2)).containsExactly("<|endoftext|>", "!");
        // The 256 byte symbols follow the specials in code point order: 'Ā' (U+0100) after 'ÿ'.
        assertThat(gpt2.vocabulary().subList(1, 257)).isSorted().doesNotHaveDuplicates();
        assertThat(gpt2.vocabulary().get(1 + 188)).isEqualTo("Ā");
    }

    @Test
    void shouldRejectAVocabularyTooSmallForBytesAndSpecials() {
        assertThatThrownBy(() -> new BpeTrainer(TokenizerArchitecture.BART, 260, 2))
                .isInstanceOf(BadInputException.class)
                .hasMessage("vocab size 260 is too small for BART: it needs at least 261 ids "
                        + "(256 byte symbols + 5 special tokens)");
        assertThat(new BpeTrainer(TokenizerArchitecture.BART, 261, 2)
                .train(List.of("a b").iterator()).merges()).isEmpty();
    }

    @Test
    void shouldRejectAMinimumFrequencyBelowOne() {
        assertThatThrownBy(() -> new BpeTrainer(TokenizerArchitecture.T5, 1000, 0))
                .isInstanceOf(BadInputException.class)
                .hasMessage("min frequency must be at least 1, got 0");
    }

    @Test
    void shouldRejectInputWithoutText() {
        BpeTrainer trainer = new BpeTrainer(TokenizerArchitecture.T5, 1000, 2);
        assertThatThrownBy(() -> trainer.train(Collections.emptyIterator()))
                .isInstanceOf(BadInputException.class)
                .hasMessage("no training text: the input is empty");
        assertThatThrownBy(() -> trainer.train(List.of("", "").iterator()))
                .isInstanceOf(BadInputException.class)
                .hasMessage("no training text: all 2 input texts are empty");
        Iterator<String> withNull = Arrays.asList("a", null).iterator();
        assertThatThrownBy(() -> trainer.train(withNull))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("training text #2 is null");
    }

    @Test
    void shouldParseArchitectureNames() {
        assertThat(TokenizerArchitecture.fromName("gpt-2")).isEqualTo(TokenizerArchitecture.GPT2);
        assertThat(TokenizerArchitecture.fromName("Bart")).isEqualTo(TokenizerArchitecture.BART);
        assertThatThrownBy(() -> TokenizerArchitecture.fromName("bert"))
                .isInstanceOf(BadInputException.class)
                .hasMessage("unknown tokenizer architecture 'bert': expected one of bart, t5, gpt2");
    }

    private static TrainedBpe train(TokenizerArchitecture architecture, int vocabSize, long minFrequency,
                                    String... texts) {
        return new BpeTrainer(architecture, vocabSize, minFrequency).train(List.of(texts).iterator());
    }
}
