package io.kdflow.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The resources one kustomization renders to, by kind and name. */
record Rendered(String name, List<Map<String, Object>> resources) {

    /** The base, dev and prod, and prod with the GPU component (rendered through a kustomization in target/). */
    static List<Rendered> all() {
        return List.of(of("base"), of("dev"), of("prod"), prodWithGpu());
    }

    static Rendered of(String name) {
        return new Rendered(name, Kustomize.render(Repo.KUSTOMIZATIONS.get(name)));
    }

    static Rendered prodWithGpu() {
        return new Rendered("prod+gpu", Kustomize.render(prodWithGpuDir()));
    }

    /** A kustomization (under target/) that adds components/gpu to overlays/prod, as deploy/README.md tells. */
    static Path prodWithGpuDir() {
        Path dir = Repo.work("prod-gpu");
        String up = dir.relativize(Repo.DEPLOY).toString();
        Files.write(dir.resolve("kustomization.yaml"), "resources:\n  - " + up + "/overlays/prod\ncomponents:\n  - "
                + up + "/components/gpu\n");
        return dir;
    }

    /** Resources keyed {@code kind/namespace/name}. */
    static Map<String, Map<String, Object>> byKey(List<Map<String, Object>> resources) {
        Map<String, Map<String, Object>> byKey = new TreeMap<>();
        for (Map<String, Object> resource : resources) {
            String key = resource.get("kind") + "/" + Yaml.string(resource, "metadata", "namespace") + "/"
                    + Yaml.string(resource, "metadata", "name");
            if (byKey.put(key, resource) != null) {
                throw new IllegalStateException("two resources " + key);
            }
        }
        return byKey;
    }

    List<Map<String, Object>> ofKind(String kind) {
        return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    Map<String, Object> get(String kind, String name) {
        return resources.stream()
                .filter(r -> kind.equals(r.get("kind")) && name.equals(Yaml.string(r, "metadata", "name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(this.name + " renders no " + kind + " " + name));
    }

    @Override
    public String toString() {
        return name;
    }

    /** Small file helper: tests write only under target/. */
    static final class Files {
        private Files() {
        }

        static void write(Path file, String text) {
            try {
                java.nio.file.Files.writeString(file, text);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
