package io.kdflow.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointManifestTest {

    @TempDir
    Path dir;

    @Test
    void shouldListEveryFileWithItsHashAndVerifyThem() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{}");
        Files.write(dir.resolve("model.safetensors"), new byte[] {1, 2, 3});

        String sha = CheckpointManifest.write(dir, 42, Map.of("kdflow.pseudo-targets.v1/0", 17L), Map.of("seed", "7"));
        CheckpointManifest manifest = CheckpointManifest.verify(dir, sha);

        assertThat(manifest.step()).isEqualTo(42);
        assertThat(manifest.consumedOffsets()).containsExactly(Map.entry("kdflow.pseudo-targets.v1/0", 17L));
        assertThat(manifest.files()).containsOnlyKeys("config.json", "model.safetensors");
        assertThat(manifest.files().get("model.safetensors").bytes()).isEqualTo(3);
        assertThat(manifest.files().get("config.json").sha256())
                .isEqualTo("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
        assertThat(manifest.totalBytes()).isEqualTo(5);
    }

    @Test
    void shouldRejectATamperedFileOrAWrongAnnouncedHash() throws IOException {
        Files.write(dir.resolve("model.safetensors"), new byte[] {1, 2, 3});
        String sha = CheckpointManifest.write(dir, 1, Map.of(), Map.of());

        assertThatThrownBy(() -> CheckpointManifest.verify(dir, "00" + sha.substring(2)))
                .hasMessageContaining("differs from the announced");

        Files.write(dir.resolve("model.safetensors"), new byte[] {1, 2, 4});
        assertThatThrownBy(() -> CheckpointManifest.verify(dir, sha))
                .hasMessageContaining("file model.safetensors differs from its manifest entry");

        Files.delete(dir.resolve("model.safetensors"));
        assertThatThrownBy(() -> CheckpointManifest.verify(dir, sha))
                .hasMessageContaining("listed file model.safetensors is missing");
    }

    @Test
    void shouldRejectADirectoryWithoutManifest() {
        assertThatThrownBy(() -> CheckpointManifest.verify(dir, "ab"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("has no kdflow-checkpoint.json");
    }
}
