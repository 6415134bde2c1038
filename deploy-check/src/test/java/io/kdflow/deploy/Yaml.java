package io.kdflow.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads YAML documents as plain maps and lists (multi-document files, empty documents dropped). */
final class Yaml {

    static final ObjectMapper MAPPER = new ObjectMapper(
            YAMLFactory.builder().disable(YAMLGenerator.Feature.SPLIT_LINES).build());

    private Yaml() {
    }

    static List<Map<String, Object>> documents(Path file) {
        try {
            return documents(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static List<Map<String, Object>> documents(String text) {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (MappingIterator<Map<String, Object>> it = MAPPER.readerFor(new TypeReference<Map<String, Object>>() { })
                .readValues(text)) {
            while (it.hasNextValue()) {
                Map<String, Object> document = it.nextValue();
                if (document != null && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not YAML: " + e.getMessage(), e);
        }
        return documents;
    }

    /** A deep copy (patches and transformers change what they are given). */
    @SuppressWarnings("unchecked")
    static <T> T copy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, copy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(copy(v)));
            return (T) copy;
        }
        return value;
    }

    /** The map at {@code path} of nested maps, or an empty map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map) || !(map.get(key) instanceof Map<?, ?>)) {
                return Map.of();
            }
            current = map.get(key);
        }
        return (Map<String, Object>) current;
    }

    /** The list at {@code path} of nested maps, or an empty list. */
    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> root, String... path) {
        Map<String, Object> parent = map(root, java.util.Arrays.copyOf(path, path.length - 1));
        Object value = parent.get(path[path.length - 1]);
        return value instanceof List<?> list ? (List<Object>) list : List.of();
    }

    /** The string at {@code path}, or null. */
    static String string(Map<String, Object> root, String... path) {
        Map<String, Object> parent = map(root, java.util.Arrays.copyOf(path, path.length - 1));
        Object value = parent.get(path[path.length - 1]);
        return value == null ? null : value.toString();
    }
}
