package io.kdflow.core.model;

import static io.kdflow.core.testing.ReferenceTensors.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.testing.ReferenceTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LayerPruningTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5})
    void shouldMatchTransformersLogitsAfterKeepingFirstAndLastDecoderLayer(String name) throws IOException {
        Path dir = HfTiny.copyModel(name, temp);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel teacher = PretrainedModels.load(dir, manager);
                Seq2SeqModel student = (Seq2SeqModel) LayerPruning.pruneDecoderDefault(teacher, manager)) {
            Map<String, NDArray> ref = ReferenceTensors.load(dir.resolve("reference.safetensors"), manager);

            NDArray logits = student.logits(ref.get("input_ids"), ref.get("attention_mask"),
                    ref.get("decoder_input_ids"), RunMode.INFERENCE);

            double error = maxAbsDiff(logits, ref.get("logits_pruned_decoder_keep_first_last"));
            System.out.printf("%s parity: logits_pruned_decoder_keep_first_last %.3g%n", name, error);
            assertThat(error).isLessThan(Seq2SeqParityTest.TOLERANCE);
            assertThat(student.config().decoderLayerCount()).isEqualTo(2);
            assertThat(student.config().encoderLayerCount()).isEqualTo(teacher.config().encoderLayerCount());
        }
    }

    @Test
    void shouldKeepT5RelativeBiasWhenBlockZeroIsDropped() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.T5, temp);
        Path saved = temp.resolve("pruned");
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel teacher = PretrainedModels.load(dir, manager)) {
            NDArray teacherBias = teacher.stateDict(manager)
                    .get("decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight");
            NDArray teacherBlock3 = teacher.stateDict(manager).get("encoder.block.3.layer.1.DenseReluDense.wo.weight");
            try (PretrainedModel student = LayerPruning.prune(teacher, List.of(1, -1), List.of(2, 3), manager)) {
                Map<String, NDArray> weights = student.stateDict(manager);
                assertThat(weights.get("decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"))
                        .isEqualTo(teacherBias);
                assertThat(weights.get("encoder.block.1.layer.1.DenseReluDense.wo.weight")).isEqualTo(teacherBlock3);
                assertThat(weights).doesNotContainKey("encoder.block.2.layer.0.layer_norm.weight");
                ModelDirectoryWriter.save(student, saved, dir);
            }
        }
        assertThat(ModelConfigs.read(saved).encoderLayerCount()).isEqualTo(2);
        assertThat(ModelConfigs.read(saved).decoderLayerCount()).isEqualTo(2);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel reloaded = PretrainedModels.load(saved, manager)) {
            assertThat(reloaded.parameters()).isNotEmpty();
        }
    }

    @Test
    void shouldPruneGpt2LayersAndRejectEncoderPruning() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.GPT2, temp);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.load(dir, manager);
                PretrainedModel pruned = LayerPruning.prune(model, null, List.of(-1), manager)) {
            assertThat(pruned.config().decoderLayerCount()).isEqualTo(1);
            assertThat(pruned.stateDict(manager).get("transformer.h.0.mlp.c_fc.weight"))
                    .isEqualTo(model.stateDict(manager).get("transformer.h.1.mlp.c_fc.weight"));
            assertThatThrownBy(() -> LayerPruning.prune(model, List.of(0), null, manager))
                    .hasMessageContaining("gpt2 has no encoder layers");
        }
    }

    @Test
    void shouldRejectDuplicateOutOfRangeAndEmptyLayerLists() {
        assertThat(LayerPruning.resolve(List.of(-1, 0), 4, "decoder")).containsExactly(0, 3);
        assertThatThrownBy(() -> LayerPruning.resolve(List.of(0, -4), 4, "decoder"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("decoder: layer index -4 selects layer 0 twice");
        assertThatThrownBy(() -> LayerPruning.resolve(List.of(4), 4, "encoder"))
                .hasMessageContaining("encoder: layer index 4 is out of range for 4 layers");
        assertThatThrownBy(() -> LayerPruning.resolve(List.of(-5), 4, "encoder"))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> LayerPruning.resolve(List.of(), 4, "decoder"))
                .hasMessageContaining("keep at least one layer");
    }
}
