package io.kdflow.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the subset deploy/ uses: resources (files and
 * kustomization directories), components, strategic-merge patches (by name or by target), namespace, labels
 * without selectors and configMapGenerator from files without a name hash. Any other field fails, so a
 * kustomization that outgrows the subset is noticed; {@link OverlaysRenderTest} checks the result against kubectl
 * where kubectl is installed.
 */
final class Kustomize {

    private static final Set<String> KNOWN_FIELDS = Set.of("apiVersion", "kind", "namespace", "labels", "resources",
            "components", "patches", "configMapGenerator");

    private Kustomize() {
    }

    /** The resources {@code dir}'s kustomization.yaml produces. */
    static List<Map<String, Object>> render(Path dir) {
        Map<String, Object> kustomization = kustomization(dir);
        List<Map<String, Object>> resources = new ArrayList<>();
        for (Object entry : Yaml.list(kustomization, "resources")) {
            Path path = dir.resolve((String) entry).normalize();
            resources.addAll(Files.isDirectory(path) ? render(path) : Yaml.documents(path));
        }
        for (Object entry : Yaml.list(kustomization, "components")) {
            applyComponent(dir.resolve((String) entry).normalize(), resources);
        }
        resources.addAll(generateConfigMaps(dir, kustomization));
        applyPatches(dir, kustomization, resources);
        String namespace = Yaml.string(kustomization, "namespace");
        for (Map<String, Object> resource : resources) {
            if (namespace != null) {
                metadata(resource).put("namespace", namespace);
            }
            for (Object labels : Yaml.list(kustomization, "labels")) {
                addLabels(resource, labels);
            }
        }
        return resources;
    }

    private static void applyComponent(Path dir, List<Map<String, Object>> resources) {
        Map<String, Object> component = kustomization(dir);
        if (!"Component".equals(component.get("kind"))) {
            throw new IllegalStateException(dir + " is listed under components but is a " + component.get("kind"));
        }
        for (Object entry : Yaml.list(component, "resources")) {
            resources.addAll(Yaml.documents(dir.resolve((String) entry)));
        }
        applyPatches(dir, component, resources);
    }

    private static Map<String, Object> kustomization(Path dir) {
        List<Map<String, Object>> documents = Yaml.documents(dir.resolve("kustomization.yaml"));
        if (documents.size() != 1) {
            throw new IllegalStateException(dir.resolve("kustomization.yaml") + ": one document expected");
        }
        Map<String, Object> kustomization = documents.get(0);
        for (String field : kustomization.keySet()) {
            if (!KNOWN_FIELDS.contains(field)) {
                throw new IllegalStateException(dir.resolve("kustomization.yaml") + ": field '" + field
                        + "' is not supported by this renderer (supported: " + KNOWN_FIELDS + ")");
            }
        }
        return kustomization;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> generateConfigMaps(Path dir, Map<String, Object> kustomization) {
        List<Map<String, Object>> generated = new ArrayList<>();
        for (Object entry : Yaml.list(kustomization, "configMapGenerator")) {
            Map<String, Object> generator = (Map<String, Object>) entry;
            Map<String, Object> options = Yaml.map(generator, "options");
            if (!Boolean.TRUE.equals(options.get("disableNameSuffixHash"))) {
                throw new IllegalStateException("configMapGenerator " + generator.get("name")
                        + ": only disableNameSuffixHash: true is supported");
            }
            Map<String, Object> data = new LinkedHashMap<>();
            for (Object file : Yaml.list(generator, "files")) {
                Path path = dir.resolve((String) file);
                data.put(path.getFileName().toString(), read(path));
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("name", generator.get("name"));
            if (options.get("labels") != null) {
                metadata.put("labels", Yaml.copy(options.get("labels")));
            }
            Map<String, Object> configMap = new LinkedHashMap<>();
            configMap.put("apiVersion", "v1");
            configMap.put("kind", "ConfigMap");
            configMap.put("metadata", metadata);
            configMap.put("data", data);
            generated.add(configMap);
        }
        return generated;
    }

    @SuppressWarnings("unchecked")
    private static void applyPatches(Path dir, Map<String, Object> kustomization, List<Map<String, Object>> resources) {
        for (Object entry : Yaml.list(kustomization, "patches")) {
            Map<String, Object> patchEntry = (Map<String, Object>) entry;
            if (patchEntry.get("path") == null) {
                throw new IllegalStateException(dir + ": only patches from files (path) are supported");
            }
            Map<String, Object> target = (Map<String, Object>) patchEntry.get("target");
            for (Map<String, Object> patch : Yaml.documents(dir.resolve((String) patchEntry.get("path")))) {
                int applied = 0;
                for (Map<String, Object> resource : resources) {
                    if (target != null ? Selector.matches(target, resource) : sameObject(patch, resource)) {
                        StrategicMerge.apply(resource, patch);
                        applied++;
                    }
                }
                if (applied == 0) {
                    throw new IllegalStateException(dir.resolve((String) patchEntry.get("path")) + ": patch of "
                            + patch.get("kind") + " " + Yaml.string(patch, "metadata", "name") + " matches nothing");
                }
            }
        }
    }

    private static boolean sameObject(Map<String, Object> patch, Map<String, Object> resource) {
        return patch.get("kind").equals(resource.get("kind"))
                && Yaml.string(patch, "metadata", "name").equals(Yaml.string(resource, "metadata", "name"))
                && Selector.group(patch).equals(Selector.group(resource));
    }

    @SuppressWarnings("unchecked")
    private static void addLabels(Map<String, Object> resource, Object labelsEntry) {
        Map<String, Object> entry = (Map<String, Object>) labelsEntry;
        if (Boolean.TRUE.equals(entry.get("includeSelectors")) || Boolean.TRUE.equals(entry.get("includeTemplates"))) {
            throw new IllegalStateException("labels with includeSelectors/includeTemplates are not supported");
        }
        Map<String, Object> metadata = metadata(resource);
        Map<String, Object> labels = (Map<String, Object>) metadata.computeIfAbsent("labels", k -> new LinkedHashMap<>());
        labels.putAll(Yaml.map(entry, "pairs"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> metadata(Map<String, Object> resource) {
        return (Map<String, Object>) resource.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
