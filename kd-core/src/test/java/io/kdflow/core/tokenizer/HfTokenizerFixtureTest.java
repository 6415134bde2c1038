package io.kdflow.core.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.error.BadInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link HfTokenizer} against the ids Hugging Face recorded for the hf-tiny fixtures. */
class HfTokenizerFixtureTest {

    private static JsonNode probes;

    @BeforeAll
    static void readProbes() throws IOException {
        probes = new ObjectMapper().readTree(Files.readAllBytes(TestResources.path("hf-tiny-probes.json")))
                .get("models");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bart-tiny", "t5-tiny", "gpt2-tiny"})
    void shouldEncodeProbesToTheIdsHuggingFaceRecorded(String model) {
        try (HfTokenizer tokenizer = load(model)) {
            for (Iterator<Map.Entry<String, JsonNode>> it = probes.get(model).get("tokenizer_probes").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> probe = it.next();
                assertThat(tokenizer.encode(probe.getKey())).as("ids of %s", probe.getKey())
                        .containsExactly(ids(probe.getValue()));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bart-tiny", "t5-tiny", "gpt2-tiny"})
    void shouldDecodeProbeIdsBackToTheirText(String model) {
        try (HfTokenizer tokenizer = load(model)) {
            for (Iterator<Map.Entry<String, JsonNode>> it = probes.get(model).get("tokenizer_probes").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> probe = it.next();
                assertThat(tokenizer.decode(ids(probe.getValue()), true)).isEqualTo(probe.getKey());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bart-tiny", "t5-tiny"})
    void shouldDecodeGeneratedSequencesToTheTextTransformersPrinted(String model) {
        JsonNode fixture = probes.get(model);
        try (HfTokenizer tokenizer = load(model)) {
            for (int i = 0; i < fixture.get("greedy_sequences").size(); i++) {
                long[] sequence = ids(fixture.get("greedy_sequences").get(i));
                assertThat(tokenizer.decode(sequence, true)).isEqualTo(fixture.get("greedy_text").get(i).asText());
            }
        }
    }

    @Test
    void shouldApplyEachTemplateOnlyWhenAskedFor() {
        try (HfTokenizer bart = load("bart-tiny"); HfTokenizer t5 = load("t5-tiny"); HfTokenizer gpt2 = load("gpt2-tiny")) {
            long[] bartPlain = bart.encodeWithoutSpecialTokens("Hello world");
            assertThat(bart.encode("Hello world")).containsExactly(concat(new long[] {0}, bartPlain, new long[] {2}));
            long[] t5Plain = t5.encodeWithoutSpecialTokens("Hello world");
            assertThat(t5.encode("Hello world")).containsExactly(concat(t5Plain, new long[] {1}));
            assertThat(gpt2.encode("Hello world")).containsExactly(gpt2.encodeWithoutSpecialTokens("Hello world"));
            assertThat(bart.decode(bart.encode("Hello world"), false)).isEqualTo("<s>Hello world</s>");
        }
    }

    @Test
    void shouldReadSpecialTokenIdsFromTheAddedTokens() {
        try (HfTokenizer bart = load("bart-tiny"); HfTokenizer t5 = load("t5-tiny"); HfTokenizer gpt2 = load("gpt2-tiny")) {
            assertThat(bart.specialTokenIds()).isEqualTo(new SpecialTokenIds(
                    OptionalInt.of(1), OptionalInt.of(0), OptionalInt.of(2), OptionalInt.of(3)));
            assertThat(t5.specialTokenIds()).isEqualTo(new SpecialTokenIds(
                    OptionalInt.of(0), OptionalInt.empty(), OptionalInt.of(1), OptionalInt.of(2)));
            assertThat(gpt2.specialTokenIds()).isEqualTo(new SpecialTokenIds(
                    OptionalInt.empty(), OptionalInt.of(0), OptionalInt.of(0), OptionalInt.of(0)));
            assertThat(List.of(bart.vocabSize(), t5.vocabSize(), gpt2.vocabSize())).containsExactly(600, 600, 600);
            assertThat(bart.tokenToId("ĠSec")).hasValue(599);
            assertThat(bart.tokenToId("no such token")).isEmpty();
        }
    }

    @Test
    void shouldTakeSpecialTokenIdsFromTheModelConfigOverTheTokenizer() {
        // gpt2-tiny/config.json: pad_token_id 0 (the tokenizer itself has no pad token).
        try (HfTokenizer gpt2 = HfTokenizer.load(TestResources.path("gpt2-tiny"), SpecialTokenIds.none().withPad(0))) {
            assertThat(gpt2.specialTokenIds().pad()).hasValue(0);
            assertThat(gpt2.specialTokenIds().eos()).hasValue(0);
        }
    }

    @Test
    void shouldTruncateBatchRowsButKeepTheTemplateTokens() {
        List<String> texts = List.of("You can apply it to your programs, too.", "short", "");
        try (HfTokenizer bart = load("bart-tiny"); HfTokenizer t5 = load("t5-tiny")) {
            long[][] full = bart.batchEncode(texts, 1000);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(full[i]).containsExactly(bart.encode(texts.get(i)));
            }
            long[][] cut = bart.batchEncode(texts, 6);
            long[] first = bart.encode(texts.get(0));
            assertThat(cut[0]).hasSize(6).startsWith(0, first[1], first[2], first[3], first[4]).endsWith(2);
            assertThat(cut[1]).containsExactly(bart.encode("short"));
            assertThat(cut[2]).containsExactly(0, 2);
            assertThat(t5.batchEncode(texts, 3)[0]).containsExactly(t5.encode(texts.get(0))[0],
                    t5.encode(texts.get(0))[1], 1);
            assertThatThrownBy(() -> bart.batchEncode(texts, 1))
                    .isInstanceOf(BadInputException.class)
                    .hasMessageContaining("maxLength 1 cannot hold the 2 special tokens");
        }
    }

    @Test
    void shouldNotTruncateLongTextsByDefault() {
        String longText = "the work must carry prominent notices ".repeat(200);
        try (HfTokenizer bart = load("bart-tiny")) {
            long[] ids = bart.encode(longText);
            assertThat(ids.length).isGreaterThan(1000);
            assertThat(bart.decode(ids, true)).isEqualTo(longText);
        }
    }

    @Test
    void shouldRejectIdsOutsideTheVocabularyWhenDecoding() {
        try (HfTokenizer bart = load("bart-tiny")) {
            assertThatThrownBy(() -> bart.decode(new long[] {5, 600}, true))
                    .isInstanceOf(BadInputException.class)
                    .hasMessageContaining("token id 600 is outside the vocabulary [0, 600)");
        }
    }

    private static HfTokenizer load(String model) {
        return HfTokenizer.load(TestResources.path(model + "/tokenizer.json"));
    }

    private static long[] ids(JsonNode array) {
        List<Long> ids = new ArrayList<>();
        array.forEach(n -> ids.add(n.asLong()));
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    private static long[] concat(long[]... parts) {
        return Arrays.stream(parts).flatMapToLong(LongStream::of).toArray();
    }
}
