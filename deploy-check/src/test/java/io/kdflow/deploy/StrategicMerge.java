package io.kdflow.deploy;

import java.util.List;
import java.util.Map;

/**
 * Strategic-merge patching as kustomize does it. Built-in kinds (core and apps) merge the lists Kubernetes declares
 * with a merge key (containers and env by name, volume mounts by mount path, ...) and replace other lists; custom
 * resources have no schema, so their patches are JSON merge patches (maps merged, lists replaced). A null value
 * deletes the field. The patch's own identity (apiVersion, kind, metadata.name) never changes the resource.
 */
final class StrategicMerge {

    /** Lists of built-in kinds merged element by element, with their merge key. */
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "env", "name",
            "volumes", "name",
            "volumeMounts", "mountPath",
            "imagePullSecrets", "name");

    private StrategicMerge() {
    }

    static void apply(Map<String, Object> resource, Map<String, Object> patch) {
        Map<String, Object> body = Yaml.copy(patch);
        body.remove("apiVersion");
        body.remove("kind");
        Map<String, Object> metadata = Yaml.map(body, "metadata");
        if (!metadata.isEmpty()) {
            metadata.remove("name");
        }
        String group = Selector.group(resource);
        merge(resource, body, group.isEmpty() || group.equals("apps"));
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> target, Map<String, Object> patch, boolean strategic) {
        for (Map.Entry<String, Object> entry : patch.entrySet()) {
            String key = entry.getKey();
            Object value = entry.getValue();
            Object current = target.get(key);
            if (value == null) {
                target.remove(key);
            } else if (value instanceof Map<?, ?> map && current instanceof Map<?, ?> currentMap) {
                merge((Map<String, Object>) currentMap, (Map<String, Object>) map, strategic);
            } else if (strategic && MERGE_KEYS.containsKey(key) && value instanceof List<?> list
                    && current instanceof List<?> currentList) {
                mergeByKey((List<Object>) currentList, (List<Object>) list, MERGE_KEYS.get(key));
            } else {
                target.put(key, value);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void mergeByKey(List<Object> target, List<Object> patch, String mergeKey) {
        int inserted = 0;
        for (Object element : patch) {
            Map<String, Object> patchElement = (Map<String, Object>) element;
            Object id = patchElement.get(mergeKey);
            Map<String, Object> existing = target.stream()
                    .map(e -> (Map<String, Object>) e)
                    .filter(e -> id.equals(e.get(mergeKey)))
                    .findFirst().orElse(null);
            if (existing == null) {
                target.add(inserted++, patchElement); // kustomize puts new elements first, in the patch's order
            } else {
                merge(existing, patchElement, true);
            }
        }
    }
}
