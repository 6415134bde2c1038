package io.kdflow.core.model.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Typed, checked access to the keys of one JSON config file; every error names the file and key. */
final class ConfigJson {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final ObjectNode root;
    private final String file;

    ConfigJson(ObjectNode root, String file) {
        this.root = root;
        this.file = file;
    }

    static ConfigJson read(Path path) throws IOException {
        String file = path.toString();
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readAllBytes(path));
        } catch (JsonProcessingException e) {
            throw new ModelConfigException(file, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelConfigException(file, "expected a JSON object");
        }
        return new ConfigJson((ObjectNode) root, file);
    }

    ObjectNode root() {
        return root;
    }

    String file() {
        return file;
    }

    boolean has(String key) {
        JsonNode node = root.get(key);
        return node != null && !node.isNull();
    }

    int requirePositiveInt(String key) throws ModelConfigException {
        if (!has(key)) {
            throw new ModelConfigException(file, key, "missing (required for this architecture)");
        }
        return positive(key, integer(key));
    }

    int optPositiveInt(String key, int defaultValue) throws ModelConfigException {
        return has(key) ? positive(key, integer(key)) : defaultValue;
    }

    int optNonNegativeInt(String key, int defaultValue) throws ModelConfigException {
        if (!has(key)) {
            return defaultValue;
        }
        int value = integer(key);
        if (value < 0) {
            throw new ModelConfigException(file, key, "must be >= 0, got " + value);
        }
        return value;
    }

    /** An optional token id: null when the key is absent or null. */
    Integer optTokenId(String key, Integer defaultValue) throws ModelConfigException {
        if (!root.has(key)) {
            return defaultValue;
        }
        if (root.get(key).isNull()) {
            return null;
        }
        int value = integer(key);
        if (value < 0) {
            throw new ModelConfigException(file, key, "token id must be >= 0, got " + value);
        }
        return value;
    }

    /** A token id or a list of them (as {@code eos_token_id} may be). */
    List<Integer> optTokenIds(String key, List<Integer> defaultValue) throws ModelConfigException {
        if (!root.has(key)) {
            return defaultValue;
        }
        JsonNode node = root.get(key);
        if (node.isNull()) {
            return List.of();
        }
        if (node.isArray()) {
            List<Integer> ids = new ArrayList<>();
            for (JsonNode item : node) {
                if (!item.isIntegralNumber() || !item.canConvertToInt() || item.intValue() < 0) {
                    throw new ModelConfigException(file, key, "list holds a non-token-id value " + item);
                }
                ids.add(item.intValue());
            }
            return List.copyOf(ids);
        }
        return List.of(optTokenId(key, null));
    }

    double optProbability(String key, double defaultValue) throws ModelConfigException {
        double value = optDouble(key, defaultValue);
        if (!(value >= 0 && value < 1)) {
            throw new ModelConfigException(file, key, "must be in [0, 1), got " + value);
        }
        return value;
    }

    double optPositiveDouble(String key, double defaultValue) throws ModelConfigException {
        double value = optDouble(key, defaultValue);
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new ModelConfigException(file, key, "must be a positive number, got " + value);
        }
        return value;
    }

    double optDouble(String key, double defaultValue) throws ModelConfigException {
        if (!has(key)) {
            return defaultValue;
        }
        JsonNode node = root.get(key);
        if (!node.isNumber()) {
            throw new ModelConfigException(file, key, "expected a number, got " + node);
        }
        return node.doubleValue();
    }

    boolean optBoolean(String key, boolean defaultValue) throws ModelConfigException {
        if (!has(key)) {
            return defaultValue;
        }
        JsonNode node = root.get(key);
        if (!node.isBoolean()) {
            throw new ModelConfigException(file, key, "expected true or false, got " + node);
        }
        return node.booleanValue();
    }

    String optString(String key, String defaultValue) throws ModelConfigException {
        if (!has(key)) {
            return defaultValue;
        }
        JsonNode node = root.get(key);
        if (!node.isTextual()) {
            throw new ModelConfigException(file, key, "expected a string, got " + node);
        }
        return node.textValue();
    }

    String requireString(String key) throws ModelConfigException {
        if (!has(key)) {
            throw new ModelConfigException(file, key, "missing");
        }
        return optString(key, null);
    }

    ActivationFunction activation(String key, String defaultName) throws ModelConfigException {
        String name = optString(key, defaultName);
        return ActivationFunction.fromHfName(name).orElseThrow(() -> new ModelConfigException(file, key,
                "unsupported activation '" + name + "' (supported: " + ActivationFunction.supportedNames() + ")"));
    }

    private int integer(String key) throws ModelConfigException {
        JsonNode node = root.get(key);
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new ModelConfigException(file, key, "expected an integer, got " + node);
        }
        return node.intValue();
    }

    private int positive(String key, int value) throws ModelConfigException {
        if (value <= 0) {
            throw new ModelConfigException(file, key, "must be > 0, got " + value);
        }
        return value;
    }

    void requireDivisible(String dividendKey, int dividend, String divisorKey, int divisor)
            throws ModelConfigException {
        if (dividend % divisor != 0) {
            throw new ModelConfigException(file, dividendKey, dividend + " is not divisible by " + divisorKey
                    + " = " + divisor);
        }
    }
}
