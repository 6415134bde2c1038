package io.kdflow.core.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A growing token table: id to token string and back. Ids are dense, in order of addition. */
final class BpeVocabulary {

    private final List<String> tokens = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();

    /** The id of {@code token}, added at the end if it is new. */
    int idOrAdd(String token) {
        Integer id = ids.get(token);
        if (id != null) {
            return id;
        }
        tokens.add(token);
        ids.put(token, tokens.size() - 1);
        return tokens.size() - 1;
    }

    /** The id of {@code token}, or -1. */
    int idOf(String token) {
        return ids.getOrDefault(token, -1);
    }

    String token(int id) {
        return tokens.get(id);
    }

    int size() {
        return tokens.size();
    }

    List<String> tokens() {
        return List.copyOf(tokens);
    }
}
