package io.kdflow.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * Edits a job file's YAML tree before the strict schema reads it: {@code set("optimization.epochs", 3)} replaces
 * or adds one key (creating the sections on its path), so an edited key is checked exactly as the same key
 * written in the file. Used by the command line's {@code --set} and by the study's derived jobs.
 */
public final class JobTree {

    private JobTree() {}

    /**
     * Sets the key at the dotted {@code path} to {@code value} (a whole section when {@code value} is a mapping).
     *
     * @throws IllegalArgumentException for an empty key in the path, or a path through a value
     */
    public static void set(ObjectNode root, String path, JsonNode value) {
        String[] keys = path.strip().split("\\.", -1);
        ObjectNode node = root;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].isEmpty()) {
                throw new IllegalArgumentException("empty key in the path " + path);
            }
            if (i == keys.length - 1) {
                break;
            }
            JsonNode child = node.get(keys[i]);
            if (child == null || child.isNull()) {
                child = node.putObject(keys[i]);
            } else if (!(child instanceof ObjectNode)) {
                throw new IllegalArgumentException(String.join(".", Arrays.asList(keys).subList(0, i + 1))
                        + " is a value, not a section");
            }
            node = (ObjectNode) child;
        }
        node.set(keys[keys.length - 1], value == null || value.isMissingNode() ? NullNode.getInstance() : value);
    }
}
