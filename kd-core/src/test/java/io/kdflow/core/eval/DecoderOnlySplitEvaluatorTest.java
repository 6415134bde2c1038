package io.kdflow.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.metrics.TaskMetrics;
import io.kdflow.core.model.CausalLm;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.tokenizer.HfTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The split evaluation of a decoder-only checkpoint (gpt2-tiny): predictions are transformers' greedy
 * continuations of the prompts (meta.json) with the prompt stripped, the metrics those of the continuations, and
 * the NLL is over the reference tokens after the prompt only, recomputed here from unpadded forward passes.
 */
class DecoderOnlySplitEvaluatorTest {

    private static final List<String> REFERENCES = List.of(" it to your programs", " carry prominent notices",
            " the Program. If the");

    @TempDir
    Path temp;

    @Test
    void shouldScoreTheGeneratedContinuationsAndTheNllOfTheTargetTokensOnly() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.GPT2, temp);
        JsonNode gpt2 = new ObjectMapper().readTree(getClass().getClassLoader()
                .getResourceAsStream("hf-tiny/meta.json")).get("models").get(HfTiny.GPT2);
        List<EvalExample> examples = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            examples.add(new EvalExample("e-" + i, gpt2.get("prompts").get(i).asText(), List.of(REFERENCES.get(i))));
        }
        EvaluationSettings settings = new EvaluationSettings(1, 16, 32, 16, 2, "bleu", 3, 3, temp, Optional.empty(),
                false, false);

        try (NDManager manager = NDManager.newBaseManager();
                CausalLm model = PretrainedModels.loadCausalLm(dir, manager);
                HfTokenizer tokenizer = HfTokenizer.load(dir)) {
            GenerationConfig generation = GenerationConfig.readOrDefault(dir, model.config());
            SplitResult result = new SplitEvaluator(model, tokenizer, generation).evaluate(examples, settings);

            List<String> continuations = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long[] prompt = tokenizer.encodeWithoutSpecialTokens(examples.get(i).source());
                long[] greedy = toIds(gpt2.get("greedy_max_new_tokens_16").get(i)); // prompt + continuation
                assertThat(Arrays.copyOf(greedy, prompt.length)).as("transformers' output starts with the prompt")
                        .containsExactly(prompt);
                continuations.add(tokenizer.decode(Arrays.copyOfRange(greedy, prompt.length, greedy.length), true));
            }
            assertThat(result.predictions()).as("the continuations alone").containsExactlyElementsOf(continuations)
                    .startsWith(" to");
            List<List<String>> references = REFERENCES.stream().map(List::of).toList();
            assertThat(result.metrics().get("bleu")).isEqualTo(TaskMetrics.score(continuations, references,
                    TaskMetrics.Options.paperProtocol()).bleu().score());
            assertThat(result.metrics().get("chrf")).isEqualTo(TaskMetrics.score(continuations, references,
                    TaskMetrics.Options.paperProtocol()).chrf());

            TextEncoding encoding = new TextEncoding(tokenizer, model.config(), generation);
            double nll = 0;
            int tokens = 0;
            for (int i = 0; i < 3; i++) {
                long[] prompt = tokenizer.encodeWithoutSpecialTokens(examples.get(i).source());
                long[] target = encoding.target(REFERENCES.get(i));
                long[] joined = concat(prompt, target);
                try (NDManager row = manager.newSubManager()) {
                    NDArray logProbs = model.logits(row.create(joined).expandDims(0), null, RunMode.INFERENCE)
                            .squeeze(0).logSoftmax(1); // (P + T, V)
                    for (int j = 0; j < target.length; j++) {
                        nll -= logProbs.getFloat(prompt.length - 1 + j, target[j]);
                        tokens++;
                    }
                }
            }
            assertThat(result.metrics().get("nll")).isCloseTo(nll / tokens, within(1e-5));
        }
    }

    @Test
    void shouldPromptWithTheTemplateAndRefusePromptsThatLeaveNoRoom() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.GPT2, temp);
        List<EvalExample> examples = List.of(new EvalExample("e-0", "You can apply", List.of(" to")));
        try (NDManager manager = NDManager.newBaseManager();
                CausalLm model = PretrainedModels.loadCausalLm(dir, manager);
                HfTokenizer tokenizer = HfTokenizer.load(dir)) {
            GenerationConfig generation = GenerationConfig.readOrDefault(dir, model.config());
            SplitEvaluator evaluator = new SplitEvaluator(model, tokenizer, generation,
                    new PromptTemplate("Continue: {source}"));
            SplitResult templated = evaluator.evaluate(examples, new EvaluationSettings(1, 8, 32, 8, 1, "bleu", 1, 1,
                    temp, Optional.empty(), false, false));
            SplitResult plain = new SplitEvaluator(model, tokenizer, generation).evaluate(List.of(new EvalExample(
                    "e-0", "Continue: You can apply", List.of(" to"))), new EvaluationSettings(1, 8, 32, 8, 1, "bleu",
                    1, 1, temp, Optional.empty(), false, false));

            assertThat(templated.predictions()).as("the template is the prompt").isEqualTo(plain.predictions());
            assertThat(templated.metrics().get("nll")).isEqualTo(plain.metrics().get("nll"));
            assertThatThrownBy(() -> evaluator.evaluate(examples, new EvaluationSettings(1, 125, 32, 8, 1, "bleu", 1,
                    1, temp, Optional.empty(), false, false))).isInstanceOf(BadInputException.class)
                    .hasMessageStartingWith("example e-0: a prompt of ")
                    .hasMessageEndingWith(" tokens and 125 target tokens do not fit the gpt2 model's 128 positions"
                            + " (n_positions); lower JobSpec.training.max_source_tokens, JobSpec.evaluation"
                            + ".max_new_tokens or JobSpec.training.max_target_tokens");
        }
    }

    private static long[] toIds(JsonNode array) {
        long[] ids = new long[array.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = array.get(i).asLong();
        }
        return ids;
    }

    private static long[] concat(long[] first, long[] second) {
        long[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
