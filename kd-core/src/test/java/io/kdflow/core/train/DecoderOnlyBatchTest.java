package io.kdflow.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.tokenizer.HfTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoder-only batches on the gpt2-tiny tokenizer: prompt (template applied, last tokens kept) and target (EOS
 * appended) kept apart in the {@link PairBatch}, joined by {@link DecoderOnlyBatch} with left-padded prompts so
 * that the labels hold the target tokens at exactly their own columns and -100 on every prompt and pad column.
 */
class DecoderOnlyBatchTest {

    private static final long M = PairBatch.IGNORED;

    @TempDir
    static Path temp;

    private static ModelConfig config;
    private static HfTokenizer tokenizer;
    private static TextEncoding encoding;

    @BeforeAll
    static void load() throws Exception {
        Path dir = HfTiny.copyModel(HfTiny.GPT2, temp);
        config = ModelConfigs.read(dir);
        tokenizer = HfTokenizer.load(dir.resolve("tokenizer.json"));
        encoding = new TextEncoding(tokenizer, config);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void shouldPutTheTargetAfterTheLeftPaddedPromptAndMaskThePromptOutOfTheLabels() {
        ExampleEncoder encoder = new ExampleEncoder(encoding, PromptTemplate.NONE, 32, 16, config);
        TrainingBatch batch = encoder.apply(List.of(TrainingExample.of("a", "You can apply", " to"),
                TrainingExample.of("b", "the work must carry prominent notices", " the Program")));
        long[] promptA = {57, 272, 269, 286, 457, 320}; // transformers' ids (meta.json's greedy output)
        long[] targetA = {294, 0}; // " to" and EOS
        long[] promptB = tokenizer.encodeWithoutSpecialTokens("the work must carry prominent notices");
        long[] targetB = encoding.target(" the Program");
        assertThat(promptB.length).as("the longer prompt").isGreaterThan(promptA.length);
        assertThat(targetB.length).as("the longer target").isGreaterThan(targetA.length);
        assertThat(targetB[targetB.length - 1]).as("EOS ends the target").isZero();

        PairBatch pairs = batch.pairs();
        assertThat(pairs.sourceIds(0)).containsExactly(promptA);
        assertThat(pairs.sourceIds(1)).containsExactly(promptB);
        assertThat(pairs.labels()[0]).containsExactly(concat(targetA, fill(targetB.length - targetA.length, M)));
        assertThat(pairs.labels()[1]).containsExactly(targetB);

        DecoderOnlyBatch joined = DecoderOnlyBatch.of(pairs, config);
        int p = promptB.length;
        int t = targetB.length;
        int padA = p - promptA.length;
        int tailA = t - targetA.length;
        assertThat(joined.promptWidth()).isEqualTo(p);
        assertThat(joined.inputIds()[0]).containsExactly(concat(fill(padA, 0), promptA, targetA, fill(tailA, 0)));
        assertThat(joined.attentionMask()[0]).containsExactly(concat(fill(padA, 0), fill(promptA.length, 1),
                fill(targetA.length, 1), fill(tailA, 0)));
        assertThat(joined.labels()[0]).as("-100 on padding and prompt, the target at its own columns")
                .containsExactly(concat(fill(p, M), targetA, fill(tailA, M)));
        assertThat(joined.inputIds()[1]).containsExactly(concat(promptB, targetB));
        assertThat(joined.attentionMask()[1]).containsExactly(fill(p + t, 1));
        assertThat(joined.labels()[1]).containsExactly(concat(fill(p, M), targetB));
        assertThat(joined.targetColumns()).as("the logits predicting target tokens 0 .. T-1")
                .containsExactly(p - 1, p - 1 + t);
        assertThat(pairs.targetTokens()).isEqualTo(targetA.length + targetB.length);
    }

    @Test
    void shouldApplyThePromptTemplateAndCutPromptsFromTheStartAndTargetsBeforeEos() {
        PromptTemplate template = new PromptTemplate("Continue: {source} =");
        long[] prompt = tokenizer.encodeWithoutSpecialTokens("Continue: You can apply =");
        long[] target = encoding.target(" it to your programs");
        PairBatch full = new ExampleEncoder(encoding, template, 64, 64, config)
                .apply(List.of(TrainingExample.of("a", "You can apply", " it to your programs"))).pairs();
        PairBatch cut = new ExampleEncoder(encoding, template, 4, 3, config)
                .apply(List.of(TrainingExample.of("a", "You can apply", " it to your programs"))).pairs();

        assertThat(full.sourceIds(0)).containsExactly(prompt);
        assertThat(full.labels()[0]).containsExactly(target);
        assertThat(cut.sourceIds(0)).as("the prompt's last 4 tokens: the template's end stays")
                .containsExactly(java.util.Arrays.copyOfRange(prompt, prompt.length - 4, prompt.length));
        assertThat(cut.labels()[0]).as("the target's first 2 tokens and EOS").containsExactly(target[0], target[1], 0);
    }

    @Test
    void shouldStartAnEmptyPromptWithBosAndRefuseWhatExceedsThePositions() {
        PairBatch empty = new ExampleEncoder(encoding, PromptTemplate.NONE, 8, 8, config)
                .apply(List.of(TrainingExample.of("e", "", " to"))).pairs();
        DecoderOnlyBatch joined = DecoderOnlyBatch.of(empty, config);
        assertThat(joined.inputIds()[0]).containsExactly(0, 294, 0);
        assertThat(joined.labels()[0]).containsExactly(M, 294, 0);

        assertThatThrownBy(() -> new ExampleEncoder(encoding, PromptTemplate.NONE, 100, 29, config))
                .isInstanceOf(BadInputException.class)
                .hasMessage("training batches of the decoder-only model (prompts padded to the longest): a prompt of"
                        + " 100 tokens and 29 target tokens do not fit the gpt2 model's 128 positions (n_positions);"
                        + " lower max_source_tokens or max_target_tokens");
        String words = String.join(" ", java.util.Collections.nCopies(150, "the"));
        PairBatch longest = new ExampleEncoder(encoding, PromptTemplate.NONE, 100, 28, config)
                .apply(List.of(TrainingExample.of("long", words, words), TrainingExample.of("short", "the", "the")))
                .pairs();
        assertThat(DecoderOnlyBatch.of(longest, config).inputIds()[0]).as("the limits fill the positions exactly")
                .hasSize(128);
    }

    @Test
    void shouldPadWithEosWhenAGpt2ConfigHasNoPadToken() throws Exception {
        ObjectNode json = config.toJson();
        json.remove("pad_token_id");
        json.put("eos_token_id", 5);
        assertThat(DecoderOnlyBatch.padId(ModelConfigs.parse(json, "gpt2 without pad"))).isEqualTo(5);
        assertThat(DecoderOnlyBatch.padId(config)).isZero();
    }

    private static long[] fill(int count, long value) {
        return LongStream.generate(() -> value).limit(count).toArray();
    }

    private static long[] concat(long[]... parts) {
        return java.util.Arrays.stream(parts).flatMapToLong(java.util.Arrays::stream).toArray();
    }
}
