package io.kdflow.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.engine.DecodingWorkers;
import io.kdflow.core.metrics.TaskMetrics;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.testing.ReferenceTensors;
import io.kdflow.core.tokenizer.HfTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paper's split evaluation on the bart-tiny copy model: BLEU exactly that of TaskMetrics on the 4-beam
 * outputs transformers recorded (meta.json), and the mean gold NLL equal to transformers' loss on the same
 * three texts (reference.safetensors).
 */
class SplitEvaluatorTest {

    @TempDir
    Path temp;

    @Test
    void shouldScoreBeamSearchPredictionsAndTheGoldNllAsTransformersDoes() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.BART, temp);
        JsonNode bart = new ObjectMapper().readTree(getClass().getClassLoader().getResourceAsStream("hf-tiny/meta.json")).get("models").get(HfTiny.BART);
        List<String> texts = new ArrayList<>();
        bart.get("test_texts").forEach(text -> texts.add(text.asText()));
        JsonNode beams = bart.get("generate").get("beam4").get("text"); // num_return_sequences 2: 0, 2, 4 are best
        List<String> hfBeamTexts = List.of(beams.get(0).asText(), beams.get(2).asText(), beams.get(4).asText());
        List<EvalExample> examples = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            examples.add(new EvalExample(Integer.toString(i), texts.get(i), List.of(texts.get(i))));
        }
        EvaluationSettings settings = new EvaluationSettings(4, 24, 256, 64, 2, "bleu", 3, 3, temp, Optional.empty(),
                false, false);

        try (NDManager manager = NDManager.newBaseManager();
                Seq2SeqModel model = (Seq2SeqModel) PretrainedModels.load(dir, manager);
                HfTokenizer tokenizer = HfTokenizer.load(dir)) {
            SplitResult result = new SplitEvaluator(model, tokenizer, GenerationConfig.readOrDefault(dir, model.config()))
                    .evaluate(examples, settings);

            double expectedBleu = TaskMetrics.score(hfBeamTexts, texts.stream().map(List::of).toList(),
                    TaskMetrics.Options.paperProtocol()).bleu().score();
            double referenceLoss = ReferenceTensors.load(dir.resolve("reference.safetensors"), manager).get("loss")
                    .toFloatArray()[0];
            assertThat(result.predictions()).containsExactlyElementsOf(hfBeamTexts);
            assertThat(result.metrics().get("bleu")).isEqualTo(expectedBleu);
            assertThat(result.metrics().get("nll")).isCloseTo(referenceLoss, within(1e-6))
                    .isLessThan(0.1); // trained to copy
            assertThat(result.metrics()).containsEntry("dropped_pairs", 0.0).containsKeys("chrf", "ter", "rouge");
            assertThat(result.numExamples()).isEqualTo(3);

            SplitResult onWorkers;
            try (DecodingWorkers workers = DecodingWorkers.of(2, 1)) { // batches of 2: two batches at once
                onWorkers = new SplitEvaluator(model, tokenizer, GenerationConfig.readOrDefault(dir, model.config()))
                        .evaluate(examples, settings, workers);
            }
            assertThat(onWorkers.predictions()).containsExactlyElementsOf(hfBeamTexts);
            assertThat(onWorkers.metrics().get("bleu")).isEqualTo(expectedBleu);
            assertThat(onWorkers.metrics().get("nll")).isCloseTo(referenceLoss, within(1e-6));
        }
    }

    @Test
    void shouldFormTargetsAsTheModelGeneratesThemAndTruncateBeforeEos() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.BART, temp);
        try (NDManager manager = NDManager.newBaseManager();
                Seq2SeqModel model = (Seq2SeqModel) PretrainedModels.load(dir, manager);
                HfTokenizer tokenizer = HfTokenizer.load(dir)) {
            TextEncoding encoding = new TextEncoding(tokenizer, model.config(),
                    GenerationConfig.readOrDefault(dir, model.config()));
            long[] full = TextEncoding.truncateKeepingEnd(encoding.target("You can apply it to your programs, too."), 64);
            long[] cut = TextEncoding.truncateKeepingEnd(encoding.target("You can apply it to your programs, too."), 5);

            // transformers' greedy output for this text, after the decoder start token 2 (meta.json)
            assertThat(full).containsExactly(60, 275, 272, 289, 460, 323, 360, 297, 453, 497, 86, 15, 297, 82, 17, 2);
            assertThat(cut).containsExactly(60, 275, 272, 289, 2);
        }
    }
}
