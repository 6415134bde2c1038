package io.kdflow.core.pretrain;

import static io.kdflow.core.pretrain.ShakespeareBpe.BOS;
import static io.kdflow.core.pretrain.ShakespeareBpe.EOS;
import static io.kdflow.core.pretrain.ShakespeareBpe.MASK;
import static io.kdflow.core.pretrain.ShakespeareBpe.PAD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kdflow.core.tokenizer.HfTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongPredicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text infilling on the ids of a BART tokenizer trained on Shakespeare: ratio, spans, ends, identity. */
class TextInfillingTest {

    private static final LongPredicate ENDS = id -> id == BOS || id == EOS || id == PAD;
    private static final LongPredicate EVERY_TOKEN = id -> true;

    @TempDir
    static Path dir;

    private static HfTokenizer tokenizer;
    private static List<long[]> lines;
    private static LongPredicate wordStart;

    @BeforeAll
    static void encodeShakespeare() throws IOException {
        tokenizer = ShakespeareBpe.tokenizer(dir);
        assertThat(tokenizer.tokenToId("<mask>")).hasValue((int) MASK);
        lines = ShakespeareBpe.texts().stream().map(tokenizer::encode).toList();
        boolean[] starts = new boolean[tokenizer.vocabSize()];
        for (int id = 0; id < starts.length; id++) {
            String text = tokenizer.decode(new long[] {id}, false);
            starts[id] = !text.isEmpty() && Character.isWhitespace(text.charAt(0));
        }
        wordStart = id -> starts[(int) id];
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void shouldMaskTheRatioOfTokensOverManyLines() {
        TextInfilling infilling = new TextInfilling(MASK, 0.3, 3.0, ENDS, EVERY_TOKEN);
        SplittableRandom random = new SplittableRandom(1);
        long masked = 0;
        long body = 0;
        for (int round = 0; round < 5; round++) {
            for (long[] ids : lines) {
                masked += infilling.apply(ids, random).maskedTokens();
                body += ids.length - 2;
            }
        }
        // about 81,000 body tokens; the masked count of a line is exactly floor(0.3 n + u), mean 0.3 n
        assertThat((double) masked / body).isCloseTo(0.3, within(0.005));
    }

    @Test
    void shouldMaskTheRatioOfWordsWithWholeWordSpans() {
        TextInfilling infilling = new TextInfilling(MASK, 0.3, 3.0, ENDS, wordStart);
        SplittableRandom random = new SplittableRandom(2);
        long maskedWords = 0;
        long words = 0;
        for (int round = 0; round < 5; round++) {
            for (long[] ids : lines) {
                Infilled result = infilling.apply(ids, random);
                maskedWords += result.spans().stream().mapToInt(MaskSpan::wordCount).sum();
                words += 1 + LongStream.of(ids).skip(2).limit(ids.length - 3).filter(wordStart::test).count();
                for (MaskSpan span : result.spans()) {
                    // a span starts and ends at word boundaries
                    int end = span.start() + span.tokenCount();
                    assertThat(isWordBoundary(ids, span.start()))
                            .as("start of %s in %s", span, Arrays.toString(ids)).isTrue();
                    assertThat(isWordBoundary(ids, end))
                            .as("end of %s in %s", span, Arrays.toString(ids)).isTrue();
                }
            }
        }
        assertThat((double) maskedWords / words).isCloseTo(0.3, within(0.005));
    }

    @Test
    void shouldDrawSpanLengthsFromPoissonOfLambda() {
        // Long texts (about 2,700 tokens, 800 masked), so the last span of each, cut to fit, hardly matters.
        List<long[]> longTexts = new ArrayList<>();
        for (int i = 0; i + 100 <= lines.size(); i += 100) {
            LongStream.Builder joined = LongStream.builder().add(BOS);
            lines.subList(i, i + 100).forEach(ids -> LongStream.of(ids).skip(1).limit(ids.length - 2).forEach(joined));
            longTexts.add(joined.add(EOS).build().toArray());
        }
        TextInfilling infilling = new TextInfilling(MASK, 0.3, 3.0, ENDS, EVERY_TOKEN);
        SplittableRandom random = new SplittableRandom(3);
        long spans = 0;
        long zeros = 0;
        double sum = 0;
        double squares = 0;
        for (int round = 0; round < 20; round++) {
            for (long[] ids : longTexts) {
                List<MaskSpan> drawn = infilling.apply(ids, random).spans();
                for (MaskSpan span : drawn.subList(0, drawn.size() - 1)) {
                    assertThat(span.tokenCount()).isEqualTo(span.wordCount());
                    spans++;
                    zeros += span.wordCount() == 0 ? 1 : 0;
                    sum += span.wordCount();
                    squares += (double) span.wordCount() * span.wordCount();
                }
            }
        }
        double mean = sum / spans;
        // About 32,000 spans: standard error of the mean 0.01; tolerance 0.06 (the draws before the
        // stopping one are slightly short-biased, by well under 0.01 here).
        assertThat(spans).isGreaterThan(15_000);
        assertThat(mean).isCloseTo(3.0, within(0.06));
        assertThat(squares / spans - mean * mean).isCloseTo(3.0, within(0.2));
        assertThat((double) zeros / spans).isCloseTo(Math.exp(-3), within(0.008));
    }

    @Test
    void shouldReplaceEachSpanByOneMaskAndKeepEverythingElseInOrder() {
        TextInfilling infilling = new TextInfilling(MASK, 0.3, 3.0, ENDS, wordStart);
        SplittableRandom random = new SplittableRandom(4);
        int insertions = 0;
        for (long[] ids : lines) {
            long[] original = ids.clone();
            Infilled result = infilling.apply(ids, random);
            assertThat(ids).containsExactly(original);
            assertThat(result.ids()).containsExactly(rebuild(ids, result.spans()));
            assertThat(LongStream.of(result.ids()).filter(id -> id == MASK).count()).isEqualTo(result.spans().size());
            assertThat(result.ids().length).isEqualTo(ids.length - result.maskedTokens() + result.spans().size());
            insertions += (int) result.spans().stream().filter(span -> span.wordCount() == 0).count();
        }
        assertThat(insertions).as("zero-length spans insert masks").isPositive();
    }

    @Test
    void shouldNeverTouchTheSpecialTokensAtTheEnds() {
        TextInfilling infilling = new TextInfilling(MASK, 0.9, 3.0, ENDS, EVERY_TOKEN);
        SplittableRandom random = new SplittableRandom(5);
        for (long[] ids : lines) {
            long[] noised = infilling.apply(ids, random).ids();
            assertThat(noised[0]).isEqualTo(BOS);
            assertThat(noised[noised.length - 1]).isEqualTo(EOS);
            assertThat(LongStream.of(noised).filter(ENDS::test).count()).isEqualTo(2);
        }
        long[] padded = {BOS, 10, 11, 12, 13, 14, EOS, PAD, PAD};
        for (int i = 0; i < 100; i++) {
            long[] noised = infilling.apply(padded, random).ids();
            assertThat(noised).startsWith(BOS).endsWith(EOS, PAD, PAD);
        }
        assertThat(infilling.apply(new long[] {BOS, EOS}, random).ids()).containsExactly(BOS, EOS);
    }

    @Test
    void shouldBeTheIdentityWhenTheRatioIsZero() {
        TextInfilling infilling = new TextInfilling(MASK, 0.0, 3.0, ENDS, wordStart);
        SplittableRandom random = new SplittableRandom(6);
        for (long[] ids : lines) {
            Infilled result = infilling.apply(ids, random);
            assertThat(result.ids()).containsExactly(ids).isNotSameAs(ids);
            assertThat(result.spans()).isEmpty();
        }
    }

    @Test
    void shouldGiveTheSameNoiseForTheSameRandomState() {
        TextInfilling infilling = new TextInfilling(MASK, 0.3, 3.0, ENDS, wordStart);
        long[] ids = lines.get(17);
        assertThat(infilling.apply(ids, new SplittableRandom(8)).ids())
                .containsExactly(infilling.apply(ids, new SplittableRandom(8)).ids());
    }

    @Test
    void shouldRejectOptionsOutsideTheirRanges() {
        assertThatThrownBy(() -> new TextInfilling(MASK, 1.0, 3.0, ENDS, wordStart))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("mask ratio must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> new TextInfilling(MASK, 0.3, -1, ENDS, wordStart))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("lambda must be in (0, 100.0], got -1.0");
    }

    /** Whether a word of the body {@code <s> ... </s>} starts at token {@code i}, or the body ends there. */
    private static boolean isWordBoundary(long[] ids, int i) {
        return i == 1 || i == ids.length - 1 || wordStart.test(ids[i]);
    }

    /** The original with each span's tokens replaced by one mask (inserted before {@code start} when empty). */
    private static long[] rebuild(long[] ids, List<MaskSpan> spans) {
        LongStream.Builder out = LongStream.builder();
        int next = 0;
        for (MaskSpan span : spans) {
            assertThat(span.start()).isGreaterThanOrEqualTo(next);
            Arrays.stream(ids, next, span.start()).forEach(out);
            out.add(MASK);
            next = span.start() + span.tokenCount();
        }
        Arrays.stream(ids, next, ids.length).forEach(out);
        return out.build().toArray();
    }
}
