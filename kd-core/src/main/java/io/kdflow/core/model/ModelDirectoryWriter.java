package io.kdflow.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.core.model.config.ConfigJsonWriter;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.SpecialTokens;
import io.kdflow.core.model.weights.TensorBytes;
import io.kdflow.core.safetensors.Checkpoints;
import io.kdflow.core.safetensors.SafetensorsWriter;
import io.kdflow.core.safetensors.TensorData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves a model as a Hugging Face model directory that {@code transformers} loads:
 * {@code config.json}, {@code model.safetensors} (Hugging Face names, tied weights once, float32 unless asked
 * for float16), {@code generation_config.json} and the tokenizer files of the directory the model came from.
 */
public final class ModelDirectoryWriter {

    /** Tokenizer files {@code transformers} and {@code tokenizers} may need, copied when present. */
    public static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "added_tokens.json", "vocab.json", "merges.txt", "spiece.model");

    private static final Map<String, String> ARCHITECTURES = Map.of("bart", "BartForConditionalGeneration",
            "t5", "T5ForConditionalGeneration", "gpt2", "GPT2LMHeadModel");

    private ModelDirectoryWriter() {}

    /**
     * Writes the model into {@code target} (created if needed).
     *
     * @param assetsFrom a model directory whose generation config and tokenizer files are copied, or
     *     null (a generation config is then derived from the model config)
     */
    public static void save(PretrainedModel model, Path target, Path assetsFrom) throws IOException {
        save(model, target, assetsFrom, WeightPrecision.FP32);
    }

    /**
     * Writes the model into {@code target} with its weights in {@code precision} (float16 halves the file, for
     * shipping a model; loading widens it back to float32).
     */
    public static void save(PretrainedModel model, Path target, Path assetsFrom, WeightPrecision precision)
            throws IOException {
        Files.createDirectories(target);
        ConfigJsonWriter.write(configJson(model.config()), target.resolve("config.json"));
        writeWeights(model, target.resolve(Checkpoints.SINGLE_FILE), precision);
        Path generation = assetsFrom == null ? null : assetsFrom.resolve(GenerationConfig.FILE_NAME);
        if (generation != null && Files.isRegularFile(generation)) {
            Files.copy(generation, target.resolve(GenerationConfig.FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
        } else {
            ConfigJsonWriter.write(generationJson(model.config()), target.resolve(GenerationConfig.FILE_NAME));
        }
        if (assetsFrom != null && !assetsFrom.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
            for (String file : TOKENIZER_FILES) {
                Path source = assetsFrom.resolve(file);
                if (Files.isRegularFile(source)) {
                    Files.copy(source, target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Writes only the weights, as {@code model.safetensors} content. */
    public static void writeWeights(PretrainedModel model, Path file) throws IOException {
        writeWeights(model, file, WeightPrecision.FP32);
    }

    /** Writes only the weights, as {@code model.safetensors} content in {@code precision}. */
    public static void writeWeights(PretrainedModel model, Path file, WeightPrecision precision) throws IOException {
        try (NDManager scratch = model.manager().newSubManager()) {
            Map<String, TensorData> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> entry : model.stateDict(scratch).entrySet()) {
                NDArray weights = entry.getValue();
                tensors.put(entry.getKey(), precision == WeightPrecision.FP16 ? TensorBytes.float16(weights)
                        : TensorBytes.float32(weights));
            }
            SafetensorsWriter.write(file, tensors, SafetensorsWriter.PYTORCH_METADATA);
        }
    }

    private static ObjectNode configJson(ModelConfig config) {
        ObjectNode json = config.toJson();
        if (!json.has("architectures")) {
            ArrayNode architectures = json.putArray("architectures");
            architectures.add(ARCHITECTURES.get(config.modelType()));
        }
        return json;
    }

    private static ObjectNode generationJson(ModelConfig config) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        SpecialTokens tokens = config.specialTokens();
        if (tokens.bos() != null) {
            json.put("bos_token_id", tokens.bos());
        }
        if (tokens.decoderStart() != null && config.encoderDecoder()) {
            json.put("decoder_start_token_id", tokens.decoderStart());
        }
        if (tokens.eos().size() == 1) {
            json.put("eos_token_id", tokens.eos().get(0));
        } else if (!tokens.eos().isEmpty()) {
            ArrayNode eos = json.putArray("eos_token_id");
            tokens.eos().forEach(eos::add);
        }
        if (tokens.pad() != null) {
            json.put("pad_token_id", tokens.pad());
        }
        return json;
    }
}
