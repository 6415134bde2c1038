package io.kdflow.core.model;

import static io.kdflow.core.testing.ReferenceTensors.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.core.model.config.ConfigJsonWriter;
import io.kdflow.core.model.config.ModelConfigException;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.model.weights.ModelCheckpointException;
import io.kdflow.core.safetensors.SafetensorsDtype;
import io.kdflow.core.safetensors.SafetensorsFile;
import io.kdflow.core.safetensors.SafetensorsWriter;
import io.kdflow.core.safetensors.TensorData;
import io.kdflow.core.safetensors.TensorEntry;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.testing.ReferenceTensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint variations transformers accepts load; broken ones fail naming file and tensor. */
class CheckpointLoadingTest {

    @TempDir
    Path temp;

    @Test
    void shouldNameFileAndTensorWhenAWeightIsMissing() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.BART, temp);
        rewrite(dir, name -> name.equals("model.decoder.layers.2.fc1.bias") ? null : name);

        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> PretrainedModels.load(dir, manager))
                    .isInstanceOf(ModelCheckpointException.class)
                    .hasMessageContaining(dir.resolve("model.safetensors").toString())
                    .hasMessageContaining("tensor 'model.decoder.layers.2.fc1.bias': missing from the checkpoint");
            assertThat(manager.getManagedArrays()).as("nothing left behind").isEmpty();
        }
    }

    @Test
    void shouldRejectShapesThatContradictTheConfig() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.T5, temp);
        ObjectNode config = ModelConfigs.read(dir).toJson();
        config.put("d_ff", 96);
        ConfigJsonWriter.write(config, dir.resolve("config.json"));

        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> PretrainedModels.load(dir, manager))
                    .isInstanceOf(ModelCheckpointException.class)
                    .hasMessageContaining("tensor 'encoder.block.0.layer.1.DenseReluDense.wi.weight': shape (128, 64)"
                            + " does not match the config, which needs (96, 64)");
        }
    }

    @Test
    void shouldRejectUnsupportedArchitecture() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.GPT2, temp);
        ObjectNode config = ModelConfigs.read(dir).toJson();
        config.put("model_type", "llama");
        ConfigJsonWriter.write(config, dir.resolve("config.json"));

        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> PretrainedModels.load(dir, manager))
                    .isInstanceOf(ModelConfigException.class)
                    .hasMessageContaining("key 'model_type': unsupported model type 'llama'");
        }
    }

    @Test
    void shouldLoadBaseModelNamesAndEmbeddingAliases() throws IOException {
        Path gpt2 = HfTiny.copyModel(HfTiny.GPT2, temp);
        rewrite(gpt2, name -> name.substring("transformer.".length())); // GPT2Model checkpoint names
        Path bart = HfTiny.copyModel(HfTiny.BART, temp);
        rewrite(bart, name -> name.equals("model.shared.weight") ? "model.encoder.embed_tokens.weight" : name);
        Path t5 = HfTiny.copyModel(HfTiny.T5, temp);
        rewrite(t5, name -> name.equals("shared.weight") ? "lm_head.weight" : name); // tied: the head is the table

        try (NDManager manager = NDManager.newBaseManager();
                CausalLm model = PretrainedModels.loadCausalLm(gpt2, manager);
                Seq2SeqModel seq2seq = PretrainedModels.loadSeq2Seq(bart, manager)) {
            Map<String, NDArray> ref = ReferenceTensors.load(gpt2.resolve("reference.safetensors"), manager);
            NDArray logits = model.logits(ref.get("input_ids_0").expandDims(0), null, RunMode.INFERENCE);
            assertThat(maxAbsDiff(logits, ref.get("logits_0").expandDims(0))).isLessThan(1e-4);
            Map<String, NDArray> bartRef = ReferenceTensors.load(bart.resolve("reference.safetensors"), manager);
            NDArray bartLogits = seq2seq.logits(bartRef.get("input_ids"), bartRef.get("attention_mask"),
                    bartRef.get("decoder_input_ids"), RunMode.INFERENCE);
            assertThat(maxAbsDiff(bartLogits, bartRef.get("logits"))).isLessThan(1e-4);
            try (Seq2SeqModel t5Model = PretrainedModels.loadSeq2Seq(t5, manager)) {
                Map<String, NDArray> t5Ref = ReferenceTensors.load(t5.resolve("reference.safetensors"), manager);
                NDArray t5Logits = t5Model.logits(t5Ref.get("input_ids"), t5Ref.get("attention_mask"),
                        t5Ref.get("decoder_input_ids"), RunMode.INFERENCE);
                assertThat(maxAbsDiff(t5Logits, t5Ref.get("logits"))).isLessThan(1e-4);
            }
        }
    }

    @Test
    void shouldConvertBfloat16WeightsToFloat32() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.GPT2, temp);
        Map<String, TensorData> half = new LinkedHashMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            for (String name : file.names()) {
                TensorEntry entry = file.entry(name);
                half.put(name, toHalf(entry, file.read(name)));
            }
        }
        SafetensorsWriter.write(dir.resolve("model.safetensors"), half, SafetensorsWriter.PYTORCH_METADATA);

        try (NDManager manager = NDManager.newBaseManager();
                CausalLm model = PretrainedModels.loadCausalLm(dir, manager)) {
            Map<String, NDArray> ref = ReferenceTensors.load(dir.resolve("reference.safetensors"), manager);
            NDArray logits = model.logits(ref.get("input_ids_1").expandDims(0), null, RunMode.INFERENCE);
            assertThat(model.parameters()).allMatch(p -> p.array().getDataType() == ai.djl.ndarray.types.DataType.FLOAT32);
            assertThat(maxAbsDiff(logits, ref.get("logits_1").expandDims(0))).isLessThan(0.1);
        }
    }

    /** Rewrites model.safetensors with renamed tensors (null drops one). */
    private static void rewrite(Path dir, UnaryOperator<String> rename) throws IOException {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            for (String name : file.names()) {
                String target = rename.apply(name);
                if (target != null) {
                    TensorEntry entry = file.entry(name);
                    tensors.put(target, new TensorData(entry.dtype(), entry.shape(), file.read(name)));
                }
            }
        }
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, SafetensorsWriter.PYTORCH_METADATA);
    }

    /** bfloat16 = the upper half of a float32, rounded to nearest even. */
    private static TensorData toHalf(TensorEntry entry, ByteBuffer floats) {
        ByteBuffer half = ByteBuffer.allocate(floats.remaining() / 2).order(ByteOrder.LITTLE_ENDIAN);
        while (floats.hasRemaining()) {
            int bits = Float.floatToIntBits(floats.getFloat());
            half.putShort((short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16));
        }
        return new TensorData(SafetensorsDtype.BF16, entry.shape(), half.flip());
    }
}
