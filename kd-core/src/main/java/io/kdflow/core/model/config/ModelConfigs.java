package io.kdflow.core.model.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Reads and writes {@code config.json}, choosing the architecture by {@code model_type}. */
public final class ModelConfigs {

    public static final String FILE_NAME = "config.json";

    private ModelConfigs() {}

    /** Reads a {@code config.json} file (or a model directory holding one). */
    public static ModelConfig read(Path path) throws IOException {
        Path file = path.toFile().isDirectory() ? path.resolve(FILE_NAME) : path;
        return parse(ConfigJson.read(file));
    }

    /** Parses config content held in memory; {@code sourceName} is used in error messages. */
    public static ModelConfig parse(ObjectNode json, String sourceName) throws ModelConfigException {
        return parse(new ConfigJson(json.deepCopy(), sourceName));
    }

    /** Parses a plain map of config keys (handy for programmatic configs). */
    public static ModelConfig parse(Map<String, ?> values, String sourceName) throws ModelConfigException {
        return parse(ConfigJsonWriter.fromMap(values), sourceName);
    }

    /** Writes {@code config.json} content for this config. */
    public static void write(ModelConfig config, Path file) throws IOException {
        ConfigJsonWriter.write(config.toJson(), file);
    }

    private static ModelConfig parse(ConfigJson json) throws ModelConfigException {
        String modelType = json.requireString("model_type");
        return switch (modelType) {
            case BartConfig.MODEL_TYPE -> BartConfig.parse(json);
            case T5Config.MODEL_TYPE -> T5Config.parse(json);
            case Gpt2Config.MODEL_TYPE -> Gpt2Config.parse(json);
            default -> throw new ModelConfigException(json.file(), "model_type", "unsupported model type '" + modelType
                    + "' (supported: bart, t5, gpt2)");
        };
    }
}
