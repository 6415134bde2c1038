package io.kdflow.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.Dropout;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.testing.ReferenceTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Back-propagating the training loss reaches every trainable tensor; dropout acts only in TRAINING. */
class GradientFlowTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5, HfTiny.GPT2})
    void shouldGiveEveryTrainableTensorAGradient(String name) throws IOException {
        Path dir = HfTiny.copyModel(name, temp);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.load(dir, manager)) {
            Map<String, NDArray> ref = ReferenceTensors.load(dir.resolve("reference.safetensors"), manager);
            model.parameters().stream().filter(Parameter::trainable).forEach(p -> p.array().setRequiresGradient(true));
            try (NDManager batch = manager.newSubManager(); Autograd.Scope grad = Autograd.enabled()) {
                Autograd.backward(trainingLoss(model, ref));
            }
            List<String> withoutGradient = new ArrayList<>();
            for (Parameter parameter : model.parameters()) {
                if (!parameter.trainable()) {
                    assertThat(parameter.array().hasGradient()).as(parameter.name()).isFalse();
                    continue;
                }
                try (NDArray gradient = parameter.array().getGradient()) {
                    if (gradient.abs().sum().getFloat() == 0f) {
                        withoutGradient.add(parameter.name());
                    }
                }
            }
            assertThat(withoutGradient).isEmpty();
            assertThat(model.parameters()).anyMatch(p -> !p.weightDecay()).anyMatch(Parameter::weightDecay);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5, HfTiny.GPT2})
    void shouldGiveTheSameGradientsOnOneDnnAsOnLibtorchsLinear(String name) throws IOException {
        Path dir = HfTiny.copyModel(name, temp);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.load(dir, manager)) {
            Map<String, NDArray> ref = ReferenceTensors.load(dir.resolve("reference.safetensors"), manager);
            model.parameters().stream().filter(Parameter::trainable).forEach(p -> p.array().setRequiresGradient(true));
            Map<String, float[]> oneDnn;
            Map<String, float[]> libtorch;
            try {
                System.setProperty("kdflow.packed-linear", "on"); // every product, however small
                oneDnn = gradients(model, ref);
                System.setProperty("kdflow.packed-linear", "off");
                libtorch = gradients(model, ref);
            } finally {
                System.clearProperty("kdflow.packed-linear");
            }
            for (Map.Entry<String, float[]> entry : libtorch.entrySet()) {
                float[] expected = entry.getValue();
                float[] actual = oneDnn.get(entry.getKey());
                float scale = 1e-6f;
                float largestDifference = 0f;
                for (int i = 0; i < expected.length; i++) {
                    scale = Math.max(scale, Math.abs(expected[i]));
                    largestDifference = Math.max(largestDifference, Math.abs(actual[i] - expected[i]));
                }
                assertThat(largestDifference / scale).as(entry.getKey()).isLessThan(1e-4f);
            }
        }
    }

    /** The loss gradient of every trainable tensor (dropout masks from one seed, the same in every run). */
    private static Map<String, float[]> gradients(PretrainedModel model, Map<String, NDArray> ref) {
        Dropout.seed(5);
        try (NDManager batch = model.manager().newSubManager(); Autograd.Scope grad = Autograd.enabled()) {
            Autograd.backward(trainingLoss(model, ref));
        }
        Map<String, float[]> gradients = new java.util.TreeMap<>();
        for (Parameter parameter : model.parameters()) {
            if (parameter.trainable()) {
                gradients.put(parameter.name(), parameter.array().getGradient().toFloatArray());
                Autograd.zeroGradient(parameter.array());
            }
        }
        return gradients;
    }

    /** The training loss of the fixture's batch (a seq2seq batch, or GPT-2's first sequence). */
    private static NDArray trainingLoss(PretrainedModel model, Map<String, NDArray> ref) {
        return model instanceof Seq2SeqModel seq2seq
                ? seq2seq.loss(ref.get("input_ids"), ref.get("attention_mask"), ref.get("labels"), RunMode.TRAINING)
                : ((CausalLm) model).loss(ref.get("input_ids_0").expandDims(0), null,
                        ref.get("input_ids_0").expandDims(0), RunMode.TRAINING);
    }

    @Test
    void shouldApplyDropoutOnlyInTrainingMode() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.GPT2, temp); // attn/resid/embd dropout 0.1
        try (NDManager manager = NDManager.newBaseManager();
                CausalLm model = PretrainedModels.loadCausalLm(dir, manager)) {
            NDArray ids = manager.create(new long[][] {{57, 272, 269, 286}});
            NDArray trainA = model.logits(ids, null, RunMode.TRAINING);
            NDArray trainB = model.logits(ids, null, RunMode.TRAINING);
            NDArray evalA = model.logits(ids, null, RunMode.INFERENCE);
            NDArray evalB = model.logits(ids, null, RunMode.INFERENCE);

            assertThat(trainA.contentEquals(trainB)).isFalse();
            assertThat(evalA.contentEquals(evalB)).isTrue();
            assertThat(evalA.hasGradient()).isFalse();
        }
    }
}
