package io.kdflow.core.model.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code generation_config.json}: the decoding defaults saved with a model. Absent keys take the
 * defaults of {@code transformers}' {@code GenerationConfig}; token ids fall back to the model config.
 */
public record GenerationConfig(
        Integer decoderStartTokenId,
        Integer bosTokenId,
        List<Integer> eosTokenIds,
        Integer padTokenId,
        int maxLength,
        Integer maxNewTokens,
        int minLength,
        Integer minNewTokens,
        boolean doSample,
        int numBeams,
        int numReturnSequences,
        double temperature,
        int topK,
        double topP,
        double lengthPenalty,
        EarlyStopping earlyStopping,
        int noRepeatNgramSize,
        double repetitionPenalty,
        Integer forcedBosTokenId,
        Integer forcedEosTokenId,
        ObjectNode source) {

    public static final String FILE_NAME = "generation_config.json";

    /** {@code early_stopping}: true, false or the string "never". */
    public enum EarlyStopping { TRUE, FALSE, NEVER }

    public GenerationConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
        source = source.deepCopy();
    }

    /** Reads {@code generation_config.json}; token ids missing there come from {@code model}. */
    public static GenerationConfig read(Path file, ModelConfig model) throws IOException {
        return parse(ConfigJson.read(file), model);
    }

    /** Reads the file in {@code modelDirectory} if present, else derives the defaults from the model config. */
    public static GenerationConfig readOrDefault(Path modelDirectory, ModelConfig model) throws IOException {
        Path file = modelDirectory.resolve(FILE_NAME);
        return Files.isRegularFile(file) ? read(file, model) : fromModelConfig(model);
    }

    /** The defaults {@code transformers} derives from a model config when no generation config exists. */
    public static GenerationConfig fromModelConfig(ModelConfig model) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ObjectNode modelJson = model.toJson();
        for (String key : List.of("forced_bos_token_id", "forced_eos_token_id", "max_length", "num_beams",
                "no_repeat_ngram_size", "length_penalty", "early_stopping", "min_length")) {
            if (modelJson.has(key) && !modelJson.get(key).isNull()) {
                json.set(key, modelJson.get(key));
            }
        }
        return parse(new ConfigJson(json, "(defaults from config.json)"), model);
    }

    private static GenerationConfig parse(ConfigJson json, ModelConfig model) throws ModelConfigException {
        SpecialTokens tokens = model.specialTokens();
        return new GenerationConfig(
                json.optTokenId("decoder_start_token_id", tokens.decoderStart()),
                json.optTokenId("bos_token_id", tokens.bos()),
                json.optTokenIds("eos_token_id", tokens.eos()),
                json.optTokenId("pad_token_id", tokens.pad()),
                json.optPositiveInt("max_length", 20),
                json.has("max_new_tokens") ? json.optPositiveInt("max_new_tokens", 1) : null,
                json.optNonNegativeInt("min_length", 0),
                json.has("min_new_tokens") ? json.optNonNegativeInt("min_new_tokens", 0) : null,
                json.optBoolean("do_sample", false),
                json.optPositiveInt("num_beams", 1),
                json.optPositiveInt("num_return_sequences", 1),
                json.optPositiveDouble("temperature", 1.0),
                json.optNonNegativeInt("top_k", 50),
                topP(json),
                json.optDouble("length_penalty", 1.0),
                earlyStopping(json),
                json.optNonNegativeInt("no_repeat_ngram_size", 0),
                json.optPositiveDouble("repetition_penalty", 1.0),
                json.optTokenId("forced_bos_token_id", null),
                json.optTokenId("forced_eos_token_id", null),
                json.root());
    }

    private static double topP(ConfigJson json) throws ModelConfigException {
        double topP = json.optDouble("top_p", 1.0);
        if (!(topP > 0 && topP <= 1)) {
            throw new ModelConfigException(json.file(), "top_p", "must be in (0, 1], got " + topP);
        }
        return topP;
    }

    private static EarlyStopping earlyStopping(ConfigJson json) throws ModelConfigException {
        if (!json.has("early_stopping")) {
            return EarlyStopping.FALSE;
        }
        if (json.root().get("early_stopping").isTextual()) {
            if ("never".equals(json.optString("early_stopping", null))) {
                return EarlyStopping.NEVER;
            }
            throw new ModelConfigException(json.file(), "early_stopping", "expected true, false or \"never\"");
        }
        return json.optBoolean("early_stopping", false) ? EarlyStopping.TRUE : EarlyStopping.FALSE;
    }

    /** Writes this config back as {@code generation_config.json} content. */
    public void write(Path file) throws IOException {
        ConfigJsonWriter.write(source, file);
    }
}
