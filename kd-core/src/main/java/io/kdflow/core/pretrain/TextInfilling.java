package io.kdflow.core.pretrain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.random.RandomGenerator;

/**
 * BART's text infilling on token ids. The exact rules, for ids {@code x}:
 * <ol>
 *   <li>The run of end tokens at the start of {@code x} and the run at its end (ids for which
 *       {@code endToken} holds: {@code <s>}, {@code </s>}, {@code <pad>}) are kept as they are; the tokens
 *       between them are the body.</li>
 *   <li>The body is cut into words: a word starts at the first body token and at every token for which
 *       {@code wordStart} holds (for byte-level BPE, a token whose text starts with a space, spelled
 *       'Ġ' in the vocabulary); with token-level spans every token is a word. Let n be the number of words.</li>
 *   <li>The number of words to mask is m = floor(ratio * n + u), u uniform in [0, 1): ratio * n rounded
 *       up or down at random so that its expectation is exactly ratio * n (BART rounds up, which masks
 *       far more than the ratio on short lines).</li>
 *   <li>Span lengths are drawn from Poisson(lambda) until they add up to at least m; the last one is cut
 *       so that they add up to exactly m. Spans of length 0 are kept: each inserts a {@code <mask>}.</li>
 *   <li>The k spans are placed among the n - m unmasked words uniformly at random, in the order they were
 *       drawn, without overlap: k of the n - m + k slots of the output are chosen uniformly as span slots.
 *       Two spans can be neighbours (two masks in a row).</li>
 *   <li>Every span becomes one {@code <mask>} token, whatever its length.</li>
 * </ol>
 * A ratio of 0 (or an empty body) leaves the ids unchanged. Stateless: all randomness comes from the
 * generator passed in.
 */
public final class TextInfilling {

    private final long maskId;
    private final double maskRatio;
    private final double poissonLambda;
    private final LongPredicate endToken;
    private final LongPredicate wordStart;

    /**
     * @param maskId        the {@code <mask>} id
     * @param maskRatio     the fraction of words to mask, in [0, 1)
     * @param poissonLambda the mean span length in words, in (0, 100]
     * @param endToken      the special ids kept at both ends
     * @param wordStart     ids that start a word; {@code id -> true} for token-level spans
     */
    public TextInfilling(long maskId, double maskRatio, double poissonLambda, LongPredicate endToken,
                         LongPredicate wordStart) {
        if (!(maskRatio >= 0 && maskRatio < 1)) {
            throw new IllegalArgumentException("mask ratio must be in [0, 1), got " + maskRatio);
        }
        if (!(poissonLambda > 0 && poissonLambda <= Poisson.MAX_LAMBDA)) {
            throw new IllegalArgumentException("lambda must be in (0, " + Poisson.MAX_LAMBDA + "], got " + poissonLambda);
        }
        this.maskId = maskId;
        this.maskRatio = maskRatio;
        this.poissonLambda = poissonLambda;
        this.endToken = endToken;
        this.wordStart = wordStart;
    }

    /** The noised copy of {@code ids} and the spans it hides; {@code ids} is not changed. */
    public Infilled apply(long[] ids, RandomGenerator random) {
        int bodyStart = 0;
        while (bodyStart < ids.length && endToken.test(ids[bodyStart])) {
            bodyStart++;
        }
        int bodyEnd = ids.length;
        while (bodyEnd > bodyStart && endToken.test(ids[bodyEnd - 1])) {
            bodyEnd--;
        }
        int[] words = wordStarts(ids, bodyStart, bodyEnd);
        int wordCount = words.length - 1;
        if (maskRatio == 0 || wordCount == 0) {
            return new Infilled(ids.clone(), List.of());
        }
        int toMask = (int) Math.floor(maskRatio * wordCount + random.nextDouble());
        List<Integer> lengths = spanLengths(toMask, random);
        boolean[] spanSlot = chooseSpanSlots(wordCount - toMask + lengths.size(), lengths.size(), random);

        long[] out = new long[ids.length + lengths.size()];
        System.arraycopy(ids, 0, out, 0, bodyStart);
        int size = bodyStart;
        List<MaskSpan> spans = new ArrayList<>(lengths.size());
        int word = 0;
        int span = 0;
        for (boolean isSpan : spanSlot) {
            int length = isSpan ? lengths.get(span++) : 1;
            int from = words[word];
            int to = words[word + length];
            if (isSpan) {
                out[size++] = maskId;
                spans.add(new MaskSpan(from, length, to - from));
            } else {
                System.arraycopy(ids, from, out, size, to - from);
                size += to - from;
            }
            word += length;
        }
        System.arraycopy(ids, bodyEnd, out, size, ids.length - bodyEnd);
        size += ids.length - bodyEnd;
        return new Infilled(Arrays.copyOf(out, size), spans);
    }

    /** Token index of every word start in the body, then {@code bodyEnd} as a sentinel. */
    private int[] wordStarts(long[] ids, int bodyStart, int bodyEnd) {
        int[] starts = new int[bodyEnd - bodyStart + 1];
        int count = 0;
        for (int i = bodyStart; i < bodyEnd; i++) {
            if (i == bodyStart || wordStart.test(ids[i])) {
                starts[count++] = i;
            }
        }
        starts[count++] = bodyEnd;
        return Arrays.copyOf(starts, count);
    }

    private List<Integer> spanLengths(int toMask, RandomGenerator random) {
        List<Integer> lengths = new ArrayList<>();
        int total = 0;
        while (total < toMask) {
            int length = Math.min(Poisson.sample(random, poissonLambda), toMask - total);
            lengths.add(length);
            total += length;
        }
        return lengths;
    }

    /** {@code chosen} of {@code slots} flags set, every subset equally likely (Knuth's selection sampling). */
    private static boolean[] chooseSpanSlots(int slots, int chosen, RandomGenerator random) {
        boolean[] flags = new boolean[slots];
        int left = chosen;
        for (int i = 0; i < slots && left > 0; i++) {
            if (random.nextDouble() * (slots - i) < left) {
                flags[i] = true;
                left--;
            }
        }
        return flags;
    }
}
