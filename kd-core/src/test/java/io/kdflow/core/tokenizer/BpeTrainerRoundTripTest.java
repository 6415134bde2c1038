package io.kdflow.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokenizers trained on 300 Shakespeare lines, written as tokenizer.json and loaded back through
 * DJL's Hugging Face tokenizers: lossless round trips, template, special ids, determinism, and the
 * same merges as the Hugging Face trainer.
 */
class BpeTrainerRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> HARD_TEXTS = List.of(
            "  two  spaces\t\ttab\n\nnewlines   ",
            "café naïve — 日本語 🙂 ok",
            "Zero\u200bwidth space, NBSP\u00a0and ideographic\u3000space",
            "family 👨\u200d👩\u200d👧 and combining e\u0301",
            "CRLF\r\nline and a lone\rCR",
            "",
            " ",
            "\n",
            "What's done can't be undone; they'll say I'd've.");

    private static List<String> trainTexts;
    private static List<String> heldOutTexts;

    @TempDir
    Path dir;

    @BeforeAll
    static void readSamples() {
        trainTexts = readJsonlTexts("shakespeare-train-300.jsonl");
        heldOutTexts = readJsonlTexts("shakespeare-dev-40.jsonl");
    }

    @Test
    void shouldRoundTripHeldOutAndHardTextsThroughEveryArchitecture() throws IOException {
        for (TokenizerArchitecture architecture : TokenizerArchitecture.values()) {
            try (HfTokenizer tokenizer = trainAndLoad(architecture, 1000)) {
                List<String> texts = new ArrayList<>(heldOutTexts);
                texts.addAll(HARD_TEXTS);
                texts.addAll(randomTexts(new Random(42), 200));
                for (String text : texts) {
                    assertThat(tokenizer.decode(tokenizer.encode(text), true))
                            .as("%s round trip of %s", architecture, text).isEqualTo(text);
                }
            }
        }
    }

    @Test
    void shouldCompressHeldOutTextWithTheLearnedMerges() throws IOException {
        try (HfTokenizer tokenizer = trainAndLoad(TokenizerArchitecture.GPT2, 1000)) {
            long bytes = heldOutTexts.stream().mapToLong(t -> t.getBytes(StandardCharsets.UTF_8).length).sum();
            long tokens = heldOutTexts.stream().mapToLong(t -> tokenizer.encode(t).length).sum();
            assertThat(tokens).isLessThan(bytes / 2);
            assertThat(tokenizer.encode(" the")).containsExactly(tokenizer.tokenToId("Ġthe").getAsInt());
        }
    }

    @Test
    void shouldPutSpecialTokensAtTheirIdsAndApplyTheTemplate() throws IOException {
        try (HfTokenizer bart = trainAndLoad(TokenizerArchitecture.BART, 1000)) {
            assertThat(bart.vocabSize()).isEqualTo(1000);
            assertThat(bart.specialTokenIds()).isEqualTo(new SpecialTokenIds(
                    OptionalInt.of(1), OptionalInt.of(0), OptionalInt.of(2), OptionalInt.of(3)));
            assertThat(bart.tokenToId("<mask>")).hasValue(999);
            long[] plain = bart.encodeWithoutSpecialTokens("Hello world");
            long[] full = bart.encode("Hello world");
            assertThat(full).hasSize(plain.length + 2).startsWith(0).endsWith(2);
            assertThat(bart.encode("")).containsExactly(0, 2);
            assertThat(bart.decode(bart.encode("a <mask>"), false)).isEqualTo("<s>a<mask></s>");
        }
        try (HfTokenizer t5 = trainAndLoad(TokenizerArchitecture.T5, 1000)) {
            assertThat(t5.vocabSize()).isEqualTo(1000);
            assertThat(t5.specialTokenIds()).isEqualTo(new SpecialTokenIds(
                    OptionalInt.of(0), OptionalInt.empty(), OptionalInt.of(1), OptionalInt.of(2)));
            assertThat(t5.encode("")).containsExactly(1);
            assertThat(t5.encode("Hello world")).endsWith(1).doesNotContain(0L, 2L);
        }
        try (HfTokenizer gpt2 = trainAndLoad(TokenizerArchitecture.GPT2, 1000)) {
            assertThat(gpt2.vocabSize()).isEqualTo(1000);
            assertThat(gpt2.tokenToId("<|endoftext|>")).hasValue(0);
            assertThat(gpt2.encode("")).isEmpty();
            assertThat(gpt2.encode("Hello world")).containsExactly(gpt2.encodeWithoutSpecialTokens("Hello world"));
            assertThat(gpt2.decode(new long[] {0}, false)).isEqualTo("<|endoftext|>");
        }
    }

    @Test
    void shouldGiveTheIdsTransformersGaveForTheSameFile() throws IOException {
        // Ids from transformers 5.18.0 PreTrainedTokenizerFast(tokenizer_file=...) on this training's output.
        try (HfTokenizer bart = trainAndLoad(TokenizerArchitecture.BART, 1000)) {
            assertThat(bart.encode("Hello world")).containsExactly(0, 43, 386, 82, 745, 2);
            assertThat(bart.encode("café naïve — 日本語 🙂 ok"))
                    .startsWith(0, 753, 73, 131, 106, 298, 68, 131, 111, 272, 224, 345);
        }
    }

    @Test
    void shouldLearnTheMergesTheHuggingFaceTrainerLearns() throws IOException {
        // Written by tokenizers 0.23.2 BpeTrainer on the same texts (hf-trained/train_reference.py).
        JsonNode reference = JSON.readTree(Files.readAllBytes(
                TestResources.path("hf-trained/shakespeare-train-300-bart-1000-min2.tokenizer.json")));
        TrainedBpe ours = new BpeTrainer(TokenizerArchitecture.BART, 1000, 2).train(trainTexts.iterator());

        List<BpeMerge> referenceMerges = new ArrayList<>();
        reference.at("/model/merges").forEach(m -> referenceMerges.add(new BpeMerge(m.get(0).asText(), m.get(1).asText())));
        assertThat(ours.merges()).hasSize(739).isEqualTo(referenceMerges);

        // Same tokens with the same ids, except that the Hugging Face trainer puts <mask> after the
        // other specials while BART wants it last.
        List<String> referenceVocab = new ArrayList<>(Collections.nCopies(1000, ""));
        reference.at("/model/vocab").fields().forEachRemaining(e -> referenceVocab.set(e.getValue().asInt(), e.getKey()));
        referenceVocab.remove("<mask>");
        referenceVocab.add("<mask>");
        assertThat(ours.vocabulary()).isEqualTo(referenceVocab);
    }

    @Test
    void shouldWriteTheVeryFileTheHuggingFaceLibraryWritesForGpt2() throws IOException {
        // GPT-2 has no trailing special token and no template, so nothing differs by design.
        byte[] reference = Files.readAllBytes(
                TestResources.path("hf-trained/shakespeare-train-300-gpt2-1000-min2.tokenizer.json"));
        byte[] ours = new BpeTrainer(TokenizerArchitecture.GPT2, 1000, 2).train(trainTexts.iterator()).toTokenizerJson();
        assertThat(new String(ours, StandardCharsets.UTF_8))
                .isEqualTo(new String(reference, StandardCharsets.UTF_8));
    }

    @Test
    void shouldWriteByteIdenticalFilesWhenTrainedTwice() throws IOException {
        Path first = dir.resolve("first/tokenizer.json");
        Path second = dir.resolve("second/tokenizer.json");
        new BpeTrainer(TokenizerArchitecture.BART, 1000, 2).train(trainTexts.iterator()).writeTo(first);
        new BpeTrainer(TokenizerArchitecture.BART, 1000, 2).train(trainTexts.iterator()).writeTo(second);
        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
    }

    @Test
    void shouldWriteTheSectionsTheHuggingFaceLibraryWrites() throws IOException {
        JsonNode reference = JSON.readTree(Files.readAllBytes(
                TestResources.path("hf-trained/shakespeare-train-300-bart-1000-min2.tokenizer.json")));
        JsonNode fixture = JSON.readTree(Files.readAllBytes(TestResources.path("bart-tiny/tokenizer.json")));
        JsonNode ours = JSON.readTree(new BpeTrainer(TokenizerArchitecture.BART, 1000, 2)
                .train(trainTexts.iterator()).toTokenizerJson());
        List<String> fieldNames = new ArrayList<>();
        ours.fieldNames().forEachRemaining(fieldNames::add);
        List<String> fixtureFieldNames = new ArrayList<>();
        fixture.fieldNames().forEachRemaining(fixtureFieldNames::add);
        assertThat(fieldNames).isEqualTo(fixtureFieldNames);
        assertThat(ours.get("pre_tokenizer")).isEqualTo(fixture.get("pre_tokenizer"));
        assertThat(ours.get("decoder")).isEqualTo(fixture.get("decoder"));
        assertThat(ours.get("normalizer").isNull()).isTrue();
        assertThat(ours.at("/post_processor/single")).isEqualTo(fixture.at("/post_processor/single"));
        assertThat(ours.at("/post_processor/special_tokens")).isEqualTo(fixture.at("/post_processor/special_tokens"));
        ((ObjectNode) ours.get("model")).remove(List.of("vocab", "merges"));
        ((ObjectNode) reference.get("model")).remove(List.of("vocab", "merges"));
        assertThat(ours.get("model")).isEqualTo(reference.get("model"));
    }

    @Test
    void shouldStopShortOfTheRequestedSizeWhenTheDataRunsOutOfPairs() throws IOException {
        // "ab" and "Ġab": merges a+b then Ġ+ab, then every word is one token.
        TrainedBpe bpe = new BpeTrainer(TokenizerArchitecture.BART, 1000, 1).train(List.of("ab ab").iterator());
        assertThat(bpe.stopReason()).isEqualTo(BpeStopReason.NO_PAIRS_LEFT);
        assertThat(bpe.vocabSize()).isEqualTo(5 + 256 + 2);
        Path file = dir.resolve("tokenizer.json");
        bpe.writeTo(file);
        try (HfTokenizer tokenizer = HfTokenizer.load(file)) {
            assertThat(tokenizer.vocabSize()).isEqualTo(263);
            assertThat(tokenizer.tokenToId("<mask>")).hasValue(262);
            assertThat(tokenizer.encode("ab ab")).containsExactly(0, tokenizer.tokenToId("ab").getAsInt(),
                    tokenizer.tokenToId("Ġab").getAsInt(), 2);
            assertThat(tokenizer.decode(tokenizer.encode("unseen words"), true)).isEqualTo("unseen words");
        }
    }

    private HfTokenizer trainAndLoad(TokenizerArchitecture architecture, int vocabSize) throws IOException {
        TrainedBpe bpe = new BpeTrainer(architecture, vocabSize, 2).train(trainTexts.iterator());
        assertThat(bpe.stopReason()).isEqualTo(BpeStopReason.VOCAB_SIZE_REACHED);
        Path file = dir.resolve(architecture.name().toLowerCase(Locale.ROOT) + "/tokenizer.json");
        bpe.writeTo(file);
        return HfTokenizer.load(file);
    }

    /** Random strings over ASCII, Latin-1, other scripts, emoji and white space, for round trips. */
    private static List<String> randomTexts(Random random, int count) {
        int[][] ranges = {{0x20, 0x7E}, {0x09, 0x0D}, {0xA0, 0xFF}, {0x370, 0x3FF}, {0x4E00, 0x4FFF},
            {0x1F600, 0x1F64F}, {0x2000, 0x206F}, {0x0300, 0x036F}};
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int j = 0; j < length; j++) {
                int[] range = ranges[random.nextInt(ranges.length)];
                text.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
            }
            texts.add(text.toString());
        }
        return texts;
    }

    private static List<String> readJsonlTexts(String resource) {
        List<String> texts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(TestResources.path(resource))) {
                JsonNode record = JSON.readTree(line);
                texts.add(record.get("source").asText());
                texts.add(record.get("target").asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return texts;
    }
}
