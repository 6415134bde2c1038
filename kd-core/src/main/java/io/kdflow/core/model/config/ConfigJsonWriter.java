package io.kdflow.core.model.config;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Writes config JSON the way {@code transformers} does: keys sorted, two-space indent, final newline. */
public final class ConfigJsonWriter {

    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    private ConfigJsonWriter() {}

    /** Writes {@code json} to {@code path}. */
    public static void write(ObjectNode json, Path path) throws IOException {
        String text = ConfigJson.MAPPER.writer(PRETTY).writeValueAsString(sorted(json)) + "\n";
        Files.writeString(path, text, StandardCharsets.UTF_8);
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            Collections.sort(keys);
            for (String key : keys) {
                result.set(key, sorted(node.get(key)));
            }
            return result;
        }
        if (node.isArray()) {
            ArrayNode result = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> result.add(sorted(item)));
            return result;
        }
        return node;
    }

    /** Keeps an existing activation name when it means the same function (e.g. gelu_pytorch_tanh). */
    static void putActivation(ObjectNode json, String key, ActivationFunction activation) {
        JsonNode existing = json.get(key);
        boolean same = existing != null && existing.isTextual()
                && ActivationFunction.fromHfName(existing.textValue()).orElse(null) == activation;
        if (!same) {
            json.put(key, activation.hfName());
        }
    }

    static void putTokens(ObjectNode json, SpecialTokens tokens) {
        putToken(json, "pad_token_id", tokens.pad());
        putToken(json, "bos_token_id", tokens.bos());
        putToken(json, "decoder_start_token_id", tokens.decoderStart());
        if (tokens.eos().size() == 1) {
            json.put("eos_token_id", tokens.eos().get(0));
        } else if (!tokens.eos().isEmpty()) {
            ArrayNode ids = json.putArray("eos_token_id");
            tokens.eos().forEach(ids::add);
        } else if (json.has("eos_token_id")) {
            json.putNull("eos_token_id");
        }
    }

    private static void putToken(ObjectNode json, String key, Integer id) {
        if (id != null) {
            json.put(key, id);
        } else if (json.has(key)) {
            json.putNull(key);
        }
    }

    /** For tests and callers holding plain maps. */
    static ObjectNode fromMap(Map<String, ?> values) {
        return ConfigJson.MAPPER.valueToTree(values);
    }
}
