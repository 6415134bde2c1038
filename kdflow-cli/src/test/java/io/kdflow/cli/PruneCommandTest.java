package io.kdflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.safetensors.SafetensorsDtype;
import io.kdflow.core.safetensors.SafetensorsFile;
import io.kdflow.core.safetensors.TensorEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ./kdflow prune writes a model directory that loads back and gives transformers' logits of the same
 * model with its middle decoder layers deleted (reference.safetensors).
 */
class PruneCommandTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {TinyModels.BART, TinyModels.T5})
    void shouldWriteTheFirstAndLastDecoderLayerModelOfTheReference(String name) throws IOException {
        Path model = TinyModels.copy(name, dir);
        Path output = dir.resolve("student");

        CommandRun run = CommandRun.of("prune", "--model", model.toString(), "--decoder-layers", "0,-1",
                "--output", output.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("wrote " + output + ": ").contains("decoder 4 -> 2 layers")
                // what transformers' num_parameters() reports for the saved model (BART's final_logits_bias is a buffer)
                .contains(name.equals(TinyModels.BART) ? "222,720 parameters" : "269,056 parameters");
        assertThat(output.resolve("tokenizer.json")).exists();
        assertThat(output.resolve("generation_config.json")).exists();
        try (NDManager manager = NDManager.newBaseManager();
                Seq2SeqModel student = PretrainedModels.loadSeq2Seq(output, manager);
                SafetensorsFile reference = SafetensorsFile.open(model.resolve("reference.safetensors"))) {
            assertThat(student.config().decoderLayerCount()).isEqualTo(2);
            NDArray logits = student.logits(tensor(reference, "input_ids", manager),
                    tensor(reference, "attention_mask", manager), tensor(reference, "decoder_input_ids", manager),
                    RunMode.INFERENCE);
            NDArray expected = tensor(reference, "logits_pruned_decoder_keep_first_last", manager);
            float error = logits.sub(expected).abs().max().getFloat();
            System.out.printf("%s pruned via the CLI: max abs logits error %.3g%n", name, error);
            assertThat(error).isLessThan(1e-4f);
        }
    }

    @Test
    void shouldKeepTheFirstAndLastDecoderLayerByDefault() throws IOException {
        Path model = TinyModels.copy(TinyModels.BART, dir);

        CommandRun run = CommandRun.of("prune", "--model", model.toString(), "--output", dir.resolve("s").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("bart, encoder 2 -> 2 layers, decoder 4 -> 2 layers");
    }

    @Test
    void shouldWriteHalfPrecisionWeightsWhenAsked() throws IOException {
        Path model = TinyModels.copy(TinyModels.BART, dir);
        Path half = dir.resolve("half");

        CommandRun run = CommandRun.of("prune", "--model", model.toString(), "--encoder-layers", "0,1",
                "--weights", "fp16", "--output", half.toString());
        CommandRun bad = CommandRun.of("prune", "--model", model.toString(), "--weights", "int4",
                "--output", dir.resolve("bad").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("bart, encoder 2 -> 2 layers, decoder 4 -> 4 layers");
        try (SafetensorsFile written = SafetensorsFile.open(half.resolve("model.safetensors"))) {
            assertThat(written.names()).allSatisfy(name ->
                    assertThat(written.entry(name).dtype()).as(name).isEqualTo(SafetensorsDtype.F16));
        }
        assertThat(Files.size(half.resolve("model.safetensors")))
                .isLessThan(Files.size(model.resolve("model.safetensors")) * 6 / 10);
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("'int4' is not fp32 or fp16");
    }

    @Test
    void shouldRejectBadLayersAndAnOccupiedOutput() throws IOException {
        Path model = TinyModels.copy(TinyModels.BART, dir);

        CommandRun outOfRange = CommandRun.of("prune", "--model", model.toString(), "--decoder-layers", "0,9",
                "--output", dir.resolve("x").toString());
        CommandRun occupied = CommandRun.of("prune", "--model", model.toString(), "--output", model.toString());

        assertThat(outOfRange.exitCode()).isEqualTo(2);
        assertThat(outOfRange.err().strip())
                .isEqualTo("kdflow prune: decoder: layer index 9 is out of range for 4 layers");
        assertThat(occupied.exitCode()).isEqualTo(2);
        assertThat(occupied.err().strip()).isEqualTo("kdflow prune: " + model
                + " already holds a model (config.json); choose a new directory");
        assertThat(Files.exists(dir.resolve("x"))).isFalse();
    }

    private static NDArray tensor(SafetensorsFile file, String name, NDManager manager) throws IOException {
        TensorEntry entry = file.entry(name);
        DataType type = entry.dtype().name().equals("I64") ? DataType.INT64 : DataType.FLOAT32;
        return manager.create(file.read(name), new Shape(entry.shape()), type).duplicate();
    }
}
