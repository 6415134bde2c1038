package io.kdflow.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

    @TempDir
    Path tmp;

    @Test
    void shouldRoundTripPathsThroughStoreUris() throws IOException {
        ModelStore store = new ModelStore(tmp.resolve("store"));
        Path model = Files.createDirectories(store.root().resolve("job-1/student/step-10"));

        String uri = store.uriOf(model).toString();

        assertThat(uri).isEqualTo("store:job-1/student/step-10");
        assertThat(store.resolve(uri)).isEqualTo(model);
    }

    @Test
    void shouldRejectUrisThatLeaveTheRoot() throws IOException {
        ModelStore store = new ModelStore(tmp.resolve("store"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(store.root().resolve("link"), outside);

        assertThatThrownBy(() -> store.resolve("store:../outside"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("outside the model store root");
        assertThatThrownBy(() -> store.resolve("store:/etc/passwd"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("relative path");
        assertThatThrownBy(() -> store.resolve("file:/tmp/x"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("must start with 'store:'");
        assertThatThrownBy(() -> store.resolve("store:link/model"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("through a link");
    }

    @Test
    void shouldHashFilesLikeSha256sum() throws IOException {
        Path file = Files.writeString(tmp.resolve("a.txt"), "abc", StandardCharsets.UTF_8);

        assertThat(ModelStore.sha256(file))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
