package io.kdflow.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.testing.HfTiny;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The training loss runs the LM head and the log-softmax at the counted positions only ({@link TargetPositions});
 * value and every parameter's gradient must equal the (B, T, V) cross-entropy's.
 */
class PackedLossTest {

    private static final long IGNORED = Labels.IGNORE_INDEX;

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5, HfTiny.GPT2})
    void shouldGiveTheFullGridLossAndGradientsFromTheCountedPositionsOnly(String name) throws IOException {
        Path dir = withoutDropout(HfTiny.copyModel(name, temp)); // training-mode passes that can be compared
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.load(dir, manager)) {
            model.parameters().stream().filter(Parameter::trainable).forEach(p -> p.array().setRequiresGradient(true));
            // ragged targets: rows of 5, 2 and 4 counted labels, one ignored label inside a row
            NDArray ids = manager.create(new long[][] {{5, 9, 14, 3, 8, 2}, {7, 4, 2, 1, 1, 1}, {6, 11, 2, 1, 1, 1}});
            NDArray mask = manager.create(new long[][] {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 0, 0, 0}, {1, 1, 1, 0, 0, 0}});
            NDArray labels = manager.create(new long[][] {
                {10, 12, 4, 9, 2, IGNORED},
                {13, 2, IGNORED, IGNORED, IGNORED, IGNORED},
                {8, IGNORED, 5, 7, 2, IGNORED}});

            Result packed = lossAndGradients(model, () -> packedLoss(model, ids, mask, labels));
            Result full = lossAndGradients(model, () -> fullGridLoss(model, ids, mask, labels));

            assertThat(packed.loss).isCloseTo(full.loss, within(1e-5 * Math.abs(full.loss)));
            assertThat(packed.gradients).hasSameSizeAs(full.gradients).isNotEmpty();
            for (Map.Entry<String, float[]> entry : full.gradients.entrySet()) {
                float[] expected = entry.getValue();
                float[] actual = packed.gradients.get(entry.getKey());
                double scale = 1e-7;
                for (float v : expected) {
                    scale = Math.max(scale, Math.abs(v));
                }
                for (int i = 0; i < expected.length; i++) {
                    assertThat(actual[i]).as("%s [%d]", entry.getKey(), i).isCloseTo(expected[i],
                            within((float) (1e-4 * scale)));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5, HfTiny.GPT2})
    void shouldGiveNaNLikeTheFullGridWhenEveryLabelIsIgnored(String name) throws IOException {
        Path dir = HfTiny.copyModel(name, temp);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.load(dir, manager)) {
            NDArray ids = manager.create(new long[][] {{5, 9, 14}, {7, 4, 2}});
            NDArray mask = manager.create(new long[][] {{1, 1, 1}, {1, 1, 0}});
            NDArray labels = manager.create(new long[][] {{IGNORED, IGNORED, IGNORED}, {IGNORED, IGNORED, IGNORED}});

            float packed = packedLoss(model, ids, mask, labels).getFloat(); // no counted position: an empty (0, V)
            float full = fullGridLoss(model, ids, mask, labels).getFloat();

            assertThat(full).isNaN();
            assertThat(packed).isNaN();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5})
    void shouldReturnTheLogitsOfTheGivenPositionsInTheirOrder(String name) throws IOException {
        Path dir = HfTiny.copyModel(name, temp);
        try (NDManager manager = NDManager.newBaseManager();
                Seq2SeqModel model = (Seq2SeqModel) PretrainedModels.load(dir, manager)) {
            NDArray ids = manager.create(new long[][] {{5, 9, 14, 3}, {7, 4, 2, 1}});
            NDArray mask = manager.create(new long[][] {{1, 1, 1, 1}, {1, 1, 1, 0}});
            NDArray decoderIds = manager.create(new long[][] {{2, 10, 12, 4}, {2, 13, 6, 1}});
            NDArray full = model.logits(ids, mask, decoderIds, RunMode.INFERENCE); // (2, 4, V)
            long[] positions = {6, 0, 3, 5}; // (1, 2), (0, 0), (0, 3), (1, 1): any order

            NDArray at = model.logitsAt(ids, mask, decoderIds, manager.create(positions), RunMode.INFERENCE);

            assertThat(at.getShape().getShape()).containsExactly(4, model.config().vocabSize());
            for (int n = 0; n < positions.length; n++) {
                float[] expected = full.get((int) (positions[n] / 4)).get((int) (positions[n] % 4)).toFloatArray();
                float[] actual = at.get(n).toFloatArray();
                for (int v = 0; v < expected.length; v++) {
                    assertThat(actual[v]).as("position %d, token %d", positions[n], v)
                            .isCloseTo(expected[v], within(1e-5f));
                }
            }
        }
    }

    private static Path withoutDropout(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(dir.resolve("config.json").toFile());
        for (String key : List.of("dropout", "attention_dropout", "activation_dropout", "dropout_rate", "resid_pdrop",
                "embd_pdrop", "attn_pdrop")) {
            if (config.has(key)) {
                config.put(key, 0.0);
            }
        }
        json.writeValue(dir.resolve("config.json").toFile(), config);
        return dir;
    }

    private record Result(double loss, Map<String, float[]> gradients) {}

    private static Result lossAndGradients(PretrainedModel model, java.util.function.Supplier<NDArray> loss) {
        double value;
        try (NDManager batch = model.manager().newSubManager(); Autograd.Scope grad = Autograd.enabled()) {
            NDArray scalar = loss.get();
            value = scalar.getFloat();
            Autograd.backward(scalar);
        }
        Map<String, float[]> gradients = new LinkedHashMap<>();
        for (Parameter parameter : model.parameters()) {
            if (parameter.trainable()) {
                try (NDArray gradient = parameter.array().getGradient()) {
                    gradients.put(parameter.name(), gradient.toFloatArray());
                }
                Autograd.zeroGradient(parameter.array()); // backward accumulates: the next pass starts from zero
            }
        }
        return new Result(value, gradients);
    }

    private static NDArray packedLoss(PretrainedModel model, NDArray ids, NDArray mask, NDArray labels) {
        if (model instanceof Seq2SeqModel seq2seq) {
            return seq2seq.loss(ids, mask, labels, RunMode.TRAINING);
        }
        return ((CausalLm) model).loss(ids, mask, labels, RunMode.TRAINING);
    }

    /** The reference: every position through the LM head, then the masked mean over (B, T, V). */
    private static NDArray fullGridLoss(PretrainedModel model, NDArray ids, NDArray mask, NDArray labels) {
        if (model instanceof Seq2SeqModel seq2seq) {
            var config = model.config().specialTokens();
            NDArray decoderIds = Labels.shiftRight(labels, config.decoderStart(), config.pad());
            return TokenCrossEntropy.mean(seq2seq.logits(ids, mask, decoderIds, RunMode.TRAINING), labels);
        }
        NDArray logits = ((CausalLm) model).logits(ids, mask, RunMode.TRAINING); // (B, T, V)
        long length = logits.getShape().get(1);
        return TokenCrossEntropy.mean(logits.get(":, :{}, :", length - 1), labels.get(":, 1:"));
    }
}
