package io.kdflow.core.tokenizer;

import io.kdflow.core.error.BadInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains a byte-level BPE tokenizer (GPT-2/RoBERTa style) for a target architecture, with the same
 * algorithm and tie-breaking as the Hugging Face {@code BpeTrainer}: the vocabulary starts with the
 * leading special tokens, then all 256 byte symbols in code point order, then one token per merge;
 * trailing special tokens (BART's {@code <mask>}) are given the last ids. Deterministic: the same
 * texts give the same merges, whatever their order.
 */
public final class BpeTrainer {

    private final TokenizerArchitecture architecture;
    private final int vocabSize;
    private final long minFrequency;

    /**
     * @param vocabSize    the wanted number of ids, special tokens included; at least 256 plus the
     *                     architecture's special tokens
     * @param minFrequency a pair seen fewer times than this is never merged (at least 1)
     */
    public BpeTrainer(TokenizerArchitecture architecture, int vocabSize, long minFrequency) {
        this.architecture = Objects.requireNonNull(architecture, "architecture");
        int smallest = ByteLevelAlphabet.SIZE + architecture.specialTokenCount();
        if (vocabSize < smallest) {
            throw new BadInputException("vocab size " + vocabSize + " is too small for " + architecture
                    + ": it needs at least " + smallest + " ids (256 byte symbols + "
                    + architecture.specialTokenCount() + " special tokens)");
        }
        if (minFrequency < 1) {
            throw new BadInputException("min frequency must be at least 1, got " + minFrequency);
        }
        this.vocabSize = vocabSize;
        this.minFrequency = minFrequency;
    }

    /**
     * Learns merges from {@code texts}.
     *
     * @throws IllegalArgumentException if there is no text at all, or a text is null
     */
    public TrainedBpe train(Iterator<String> texts) {
        Map<String, long[]> wordCounts = countWords(texts);
        List<String> words = new ArrayList<>(wordCounts.keySet());
        words.sort(null); // a fixed word order, so nothing depends on hash order
        long[] counts = words.stream().mapToLong(w -> wordCounts.get(w)[0]).toArray();

        BpeVocabulary vocabulary = new BpeVocabulary();
        // Trailing specials are reserved up front (as the Hugging Face trainer adds all specials
        // first) so a merge can never take their spelling; they move to the end when written.
        architecture.leadingSpecialTokens().forEach(vocabulary::idOrAdd);
        architecture.trailingSpecialTokens().forEach(vocabulary::idOrAdd);
        char[] alphabet = ByteLevelAlphabet.symbols();
        Arrays.sort(alphabet);
        for (char symbol : alphabet) {
            vocabulary.idOrAdd(String.valueOf(symbol));
        }

        BpeMergeLearner learner = new BpeMergeLearner(vocabulary, words, counts);
        BpeStopReason stopReason = learner.learn(vocabSize, minFrequency);
        return new TrainedBpe(architecture, finalOrder(vocabulary.tokens()), learner.merges(), vocabSize, stopReason);
    }

    private List<String> finalOrder(List<String> learnedOrder) {
        List<String> trailing = architecture.trailingSpecialTokens();
        List<String> ordered = new ArrayList<>(learnedOrder);
        ordered.removeAll(trailing);
        ordered.addAll(trailing);
        return ordered;
    }

    private static Map<String, long[]> countWords(Iterator<String> texts) {
        Map<String, long[]> counts = new HashMap<>();
        long textCount = 0;
        while (texts.hasNext()) {
            String text = texts.next();
            if (text == null) {
                throw new IllegalArgumentException("training text #" + (textCount + 1) + " is null");
            }
            textCount++;
            for (String word : ByteLevelPreTokenizer.split(text)) {
                counts.computeIfAbsent(word, w -> new long[1])[0]++;
            }
        }
        if (counts.isEmpty()) {
            throw new BadInputException(textCount == 0
                    ? "no training text: the input is empty"
                    : "no training text: all " + textCount + " input texts are empty");
        }
        return counts;
    }
}
