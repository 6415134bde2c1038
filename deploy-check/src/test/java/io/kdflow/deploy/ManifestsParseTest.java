package io.kdflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every file of deploy/ parses, names what it is, and is used by a kustomization (no orphan manifests). */
class ManifestsParseTest {

    @Test
    void everyYamlAndJsonFileParses() throws IOException {
        List<Path> files = files();
        assertThat(files).hasSizeGreaterThan(20);
        for (Path file : files) {
            if (file.toString().endsWith(".json")) {
                assertThat(new ObjectMapper().readTree(file.toFile()).isObject()).as(file.toString()).isTrue();
                continue;
            }
            List<Map<String, Object>> documents = Yaml.documents(file);
            assertThat(documents).as(file.toString()).isNotEmpty();
            for (Map<String, Object> document : documents) {
                assertThat(document).as(file.toString()).containsKeys("apiVersion", "kind");
                if (!file.getFileName().toString().equals("kustomization.yaml")) {
                    assertThat(Yaml.string(document, "metadata", "name")).as(file.toString()).isNotBlank();
                }
            }
        }
    }

    @Test
    void everyFileIsUsedByAKustomization() throws IOException {
        Set<Path> used = new TreeSet<>();
        for (Path kustomization : files().stream().filter(f -> f.endsWith("kustomization.yaml")).toList()) {
            used.add(kustomization);
            Path dir = kustomization.getParent();
            Map<String, Object> k = Yaml.documents(kustomization).get(0);
            Stream.of("resources", "components").flatMap(key -> Yaml.list(k, key).stream())
                    .map(entry -> dir.resolve((String) entry).normalize()).forEach(used::add);
            for (Object patch : Yaml.list(k, "patches")) {
                used.add(dir.resolve((String) ((Map<?, ?>) patch).get("path")).normalize());
            }
            for (Object generator : Yaml.list(k, "configMapGenerator")) {
                for (Object file : (List<?>) ((Map<?, ?>) generator).get("files")) {
                    used.add(dir.resolve((String) file).normalize());
                }
            }
        }
        assertThat(files()).allSatisfy(file -> assertThat(used).as("%s is used by no kustomization", file).contains(file));
    }

    private static List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(Repo.DEPLOY)) {
            return walk.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".json"))
                    .map(Path::normalize).sorted().toList();
        }
    }
}
