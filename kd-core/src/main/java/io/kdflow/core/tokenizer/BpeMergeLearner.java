package io.kdflow.core.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Learns BPE merges over counted words, greedily: the most frequent adjacent pair is merged next,
 * ties going to the pair with the smaller (left id, right id). Pair counts are updated
 * incrementally: a merge only revisits the words that contain its pair, and only the pairs next to
 * each merged occurrence change. The priority queue is corrected lazily: an entry whose count is
 * out of date is put back with the current count when it reaches the top.
 */
final class BpeMergeLearner {

    /** Queue order: higher count first, then smaller pair key (left id, then right id). */
    private static final Comparator<Candidate> ORDER =
            Comparator.comparingLong(Candidate::count).reversed().thenComparingLong(Candidate::pair);

    private final BpeVocabulary vocabulary;
    private final int[][] symbols;
    private final int[] lengths;
    private final long[] counts;
    private final Map<Long, PairStats> pairs = new HashMap<>();
    private final PriorityQueue<Candidate> queue = new PriorityQueue<>(ORDER);
    private final List<BpeMerge> merges = new ArrayList<>();

    /**
     * @param vocabulary holds every single symbol of {@code words} already; merged tokens are added to it
     * @param words      distinct words as strings of vocabulary symbols (one char = one symbol)
     * @param counts     how often each word occurs
     */
    BpeMergeLearner(BpeVocabulary vocabulary, List<String> words, long[] counts) {
        this.vocabulary = vocabulary;
        this.symbols = new int[words.size()][];
        this.lengths = new int[words.size()];
        this.counts = counts.clone();
        for (int w = 0; w < words.size(); w++) {
            String word = words.get(w);
            symbols[w] = new int[word.length()];
            for (int i = 0; i < word.length(); i++) {
                int id = vocabulary.idOf(String.valueOf(word.charAt(i)));
                if (id < 0) {
                    throw new IllegalArgumentException("symbol '" + word.charAt(i) + "' of word " + w + " is not in the vocabulary");
                }
                symbols[w][i] = id;
            }
            lengths[w] = word.length();
        }
        countAllPairs();
    }

    /** Merges until the vocabulary has {@code targetSize} tokens or no pair qualifies; says which. */
    BpeStopReason learn(int targetSize, long minFrequency) {
        while (vocabulary.size() < targetSize) {
            Candidate top = queue.poll();
            if (top == null) {
                return BpeStopReason.NO_PAIRS_LEFT;
            }
            PairStats stats = pairs.get(top.pair());
            if (stats == null) {
                continue; // merged already
            }
            if (stats.count != top.count()) {
                if (stats.count > 0) {
                    queue.add(new Candidate(top.pair(), stats.count));
                }
                continue;
            }
            if (top.count() < minFrequency) {
                return BpeStopReason.BELOW_MIN_FREQUENCY;
            }
            merge(top.pair(), stats);
        }
        return BpeStopReason.VOCAB_SIZE_REACHED;
    }

    List<BpeMerge> merges() {
        return List.copyOf(merges);
    }

    private void countAllPairs() {
        for (int w = 0; w < symbols.length; w++) {
            for (int i = 0; i + 1 < lengths[w]; i++) {
                change(pairKey(symbols[w][i], symbols[w][i + 1]), counts[w], w);
            }
        }
        pairs.forEach((pair, stats) -> queue.add(new Candidate(pair, stats.count)));
    }

    private void merge(long pair, PairStats stats) {
        int left = (int) (pair >>> 32);
        int right = (int) pair;
        // The merged string may already exist (formed from another split): then its id is reused.
        int merged = vocabulary.idOrAdd(vocabulary.token(left) + vocabulary.token(right));
        merges.add(new BpeMerge(vocabulary.token(left), vocabulary.token(right)));
        pairs.remove(pair);
        Set<Long> grown = new HashSet<>();
        for (int k = 0; k < stats.wordCount; k++) {
            mergeInWord(stats.words[k], left, right, merged, pair, grown);
        }
        for (Long grownPair : grown) {
            PairStats grownStats = pairs.get(grownPair);
            if (grownStats.count > 0) {
                queue.add(new Candidate(grownPair, grownStats.count));
            }
        }
    }

    /** Replaces every non-overlapping (left, right) in word {@code w}, left to right, and updates the neighbours' pair counts. */
    private void mergeInWord(int w, int left, int right, int merged, long mergedPair, Set<Long> grown) {
        int[] s = symbols[w];
        int n = lengths[w];
        long count = counts[w];
        int out = 0;
        int i = 0;
        while (i < n) {
            if (i + 1 < n && s[i] == left && s[i + 1] == right) {
                if (out > 0) {
                    int before = s[out - 1];
                    changeUnlessMerged(pairKey(before, left), -count, w, mergedPair);
                    grow(pairKey(before, merged), count, w, grown);
                }
                if (i + 2 < n) {
                    int after = s[i + 2];
                    changeUnlessMerged(pairKey(right, after), -count, w, mergedPair);
                    grow(pairKey(merged, after), count, w, grown);
                }
                s[out++] = merged;
                i += 2;
            } else {
                s[out++] = s[i++];
            }
        }
        lengths[w] = out;
    }

    private void grow(long pair, long count, int word, Set<Long> grown) {
        change(pair, count, word);
        grown.add(pair);
    }

    private void changeUnlessMerged(long pair, long delta, int word, long mergedPair) {
        // Overlaps such as "a a a" touch the pair being merged, which no longer exists.
        if (pair != mergedPair) {
            change(pair, delta, word);
        }
    }

    private void change(long pair, long delta, int word) {
        PairStats stats = pairs.computeIfAbsent(pair, p -> new PairStats());
        stats.count += delta;
        if (delta > 0) {
            stats.addWord(word);
        }
    }

    private static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private record Candidate(long pair, long count) {
    }

    /** Count of one pair over all words, and the words it may occur in (a superset: merges elsewhere are not removed). */
    private static final class PairStats {
        long count;
        int[] words = new int[2];
        int wordCount;

        void addWord(int word) {
            if (wordCount > 0 && words[wordCount - 1] == word) {
                return; // changes of one word arrive together
            }
            if (wordCount == words.length) {
                words = Arrays.copyOf(words, wordCount * 2);
            }
            words[wordCount++] = word;
        }
    }
}
