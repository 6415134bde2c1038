package io.kdflow.core.pretrain;

import static io.kdflow.core.pretrain.ShakespeareBpe.BOS;
import static io.kdflow.core.pretrain.ShakespeareBpe.EOS;
import static io.kdflow.core.pretrain.ShakespeareBpe.MASK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.tokenizer.HfTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Denoising pairs of the Shakespeare lines with a BART tokenizer trained on them and the bart-tiny config. */
class DenoisingExamplesTest {

    @TempDir
    static Path dir;

    private static HfTokenizer tokenizer;
    private static ModelConfig bartConfig;
    private static TextEncoding encoding;
    private static List<String> texts;

    @BeforeAll
    static void setUp() throws IOException {
        tokenizer = ShakespeareBpe.tokenizer(dir);
        bartConfig = ModelConfigs.read(HfTiny.copyModel(HfTiny.BART, dir));
        encoding = new TextEncoding(tokenizer, bartConfig);
        texts = ShakespeareBpe.texts();
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void shouldLabelEveryPairWithTheUnmodifiedOriginal() {
        DenoisingExamples examples = examples(DenoisingSettings.bart(256, 256), 42);
        assertThat(examples.size()).isEqualTo(600);
        List<DenoisingPair> pairs = examples.epoch(0);
        int noised = 0;
        for (int i = 0; i < texts.size(); i++) {
            DenoisingPair pair = pairs.get(i);
            assertThat(pair.targetIds()).containsExactly(encoding.target(texts.get(i)));
            assertThat(pair.targetIds()).endsWith(EOS).doesNotContain(BOS, MASK);
            assertThat(pair.sourceIds()).startsWith(BOS).endsWith(EOS);
            noised += Arrays.equals(pair.sourceIds(), encoding.source(texts.get(i))) ? 0 : 1;
        }
        assertThat(noised).as("lines whose source differs from the original").isGreaterThan(550);
    }

    @Test
    void shouldMaskAboutTheRatioOfTokensThroughTheBuilder() {
        DenoisingSettings tokenLevel = new DenoisingSettings(0.3, 3.0, false, false, 256, 256);
        List<DenoisingPair> pairs = examples(tokenLevel, 5).epoch(0);
        long originalBody = 0;
        long keptBody = 0;
        for (int i = 0; i < texts.size(); i++) {
            long[] source = pairs.get(i).sourceIds();
            originalBody += encoding.source(texts.get(i)).length - 2;
            keptBody += LongStream.of(source).filter(id -> id != MASK && id != BOS && id != EOS).count();
        }
        // without permutation the kept tokens are exactly the unmasked ones
        assertThat(1.0 - (double) keptBody / originalBody).isBetween(0.28, 0.32);
    }

    @Test
    void shouldBeDeterministicPerSeedAndDifferPerEpochAndSeed() {
        DenoisingSettings settings = DenoisingSettings.bart(256, 256);
        DenoisingExamples first = examples(settings, 7);
        DenoisingExamples again = examples(settings, 7);
        DenoisingExamples otherSeed = examples(settings, 8);
        int epochDiffers = 0;
        int seedDiffers = 0;
        for (int i = 0; i < 100; i++) {
            assertThat(again.pair(3, i).sourceIds()).containsExactly(first.pair(3, i).sourceIds());
            epochDiffers += Arrays.equals(first.pair(3, i).sourceIds(), first.pair(4, i).sourceIds()) ? 0 : 1;
            seedDiffers += Arrays.equals(first.pair(3, i).sourceIds(), otherSeed.pair(3, i).sourceIds()) ? 0 : 1;
        }
        assertThat(epochDiffers).isGreaterThan(85);
        assertThat(seedDiffers).isGreaterThan(85);
        // a pair does not depend on which pairs were built before it
        assertThat(again.pair(3, 99).sourceIds()).containsExactly(first.epoch(3).get(99).sourceIds());
    }

    @Test
    void shouldBeTheIdentityWithoutMaskingAndPermutation() {
        DenoisingSettings none = new DenoisingSettings(0.0, 3.0, false, true, 256, 256);
        List<DenoisingPair> pairs = examples(none, 1).epoch(2);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(pairs.get(i).sourceIds()).containsExactly(encoding.source(texts.get(i)));
        }
    }

    @Test
    void shouldPermuteSentencesWithoutMaskingWhenTheRatioIsZero() {
        DenoisingSettings permuteOnly = new DenoisingSettings(0.0, 3.0, true, true, 256, 256);
        List<String> twoSentences = List.of("Go hence. I will stay!");
        DenoisingExamples examples = new DenoisingExamples(tokenizer, encoding, twoSentences, permuteOnly, 3);
        List<String> seen = LongStream.range(0, 40)
                .mapToObj(epoch -> tokenizer.decode(examples.pair((int) epoch, 0).sourceIds(), true))
                .distinct().sorted().toList();
        assertThat(seen).containsExactly("Go hence. I will stay!", "I will stay! Go hence.");
    }

    @Test
    void shouldTruncateSourceAndTargetKeepingTheEndToken() {
        DenoisingSettings short8 = new DenoisingSettings(0.3, 3.0, true, true, 8, 6);
        DenoisingExamples examples = examples(short8, 11);
        for (int i = 0; i < texts.size(); i++) {
            DenoisingPair pair = examples.pair(0, i);
            assertThat(pair.sourceIds().length).isLessThanOrEqualTo(8);
            assertThat(pair.sourceIds()).startsWith(BOS).endsWith(EOS);
            assertThat(pair.targetIds())
                    .containsExactly(TextEncoding.truncateKeepingEnd(encoding.target(texts.get(i)), 6));
        }
    }

    @Test
    void shouldRejectBadOptionsNamingThem() {
        assertThatThrownBy(() -> new DenoisingSettings(1.0, 3.0, true, true, 64, 64))
                .isInstanceOf(BadInputException.class)
                .hasMessage("denoising option mask_ratio: 1.0 is outside [0, 1) (the fraction of words hidden by"
                        + " <mask> spans; BART uses 0.3)");
        assertThatThrownBy(() -> new DenoisingSettings(-0.1, 3.0, true, true, 64, 64))
                .isInstanceOf(BadInputException.class).hasMessageStartingWith("denoising option mask_ratio: -0.1 ");
        assertThatThrownBy(() -> new DenoisingSettings(Double.NaN, 3.0, true, true, 64, 64))
                .isInstanceOf(BadInputException.class).hasMessageStartingWith("denoising option mask_ratio: NaN ");
        assertThatThrownBy(() -> new DenoisingSettings(0.3, 0.0, true, true, 64, 64))
                .isInstanceOf(BadInputException.class)
                .hasMessage("denoising option poisson_lambda: 0.0 is outside (0, 100] (the mean span length in"
                        + " words; BART uses 3)");
        assertThatThrownBy(() -> new DenoisingSettings(0.3, -2, true, true, 64, 64))
                .isInstanceOf(BadInputException.class).hasMessageStartingWith("denoising option poisson_lambda: -2.0 ");
        assertThatThrownBy(() -> new DenoisingSettings(0.3, 3.0, true, true, 1, 64))
                .isInstanceOf(BadInputException.class)
                .hasMessage("denoising option max_source_tokens: 1 is too small (at least 2: one token and the end"
                        + " token)");
        assertThatThrownBy(() -> new DenoisingSettings(0.3, 3.0, true, true, 64, 0))
                .isInstanceOf(BadInputException.class).hasMessageStartingWith("denoising option max_target_tokens: 0 ");
    }

    @Test
    void shouldRejectATokenizerWithoutMaskUnlessMaskingIsOff() throws IOException {
        Path bart = HfTiny.copyModel(HfTiny.BART, dir.resolve("fixture"));
        try (HfTokenizer noMask = HfTokenizer.load(bart)) {
            TextEncoding fixtureEncoding = new TextEncoding(noMask, bartConfig);
            assertThatThrownBy(() -> new DenoisingExamples(noMask, fixtureEncoding, texts,
                    DenoisingSettings.bart(64, 64), 1))
                    .isInstanceOf(BadInputException.class)
                    .hasMessage("denoising option mask_ratio: masking needs a <mask> token and the tokenizer has"
                            + " none (a BART tokenizer trained by kdflow has it as its last id); set mask_ratio to"
                            + " 0 or use a tokenizer with <mask>");
            DenoisingSettings permuteOnly = new DenoisingSettings(0.0, 3.0, true, true, 64, 64);
            DenoisingPair pair = new DenoisingExamples(noMask, fixtureEncoding, List.of("a b"), permuteOnly, 1)
                    .pair(0, 0);
            assertThat(pair.sourceIds()).containsExactly(noMask.encode("a b"));
        }
    }

    private static DenoisingExamples examples(DenoisingSettings settings, long seed) {
        return new DenoisingExamples(tokenizer, encoding, texts, settings, seed);
    }
}
