package io.kdflow.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.messaging.DeadLetterReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Teacher-ready events against a real store directory: every escape, absence and change named and classified. */
class TeacherCheckpointsTest {

    @TempDir
    Path temp;

    @Test
    void shouldAcceptTheAnnouncedTeacherAndRejectEveryBadOneWithItsClass() throws IOException {
        ModelStore store = new ModelStore(temp.resolve("store"));
        Path teacher = model(store.root().resolve("teachers/t"), "weights");
        String sha = ModelStore.sha256(teacher.resolve("model.safetensors"));
        Path outside = model(temp.resolve("outside"), "weights");
        Files.createSymbolicLink(store.root().resolve("teachers/escape"), outside);
        Path linkedWeights = Files.createDirectories(store.root().resolve("teachers/linked"));
        Files.writeString(linkedWeights.resolve("config.json"), "{}");
        Files.createSymbolicLink(linkedWeights.resolve("model.safetensors"), outside.resolve("model.safetensors"));
        Path noConfig = Files.createDirectories(store.root().resolve("teachers/no-config"));
        Files.writeString(noConfig.resolve("model.safetensors"), "weights");

        assertThat(TeacherCheckpoints.verifiedDirectory(store, event("store:teachers/t", sha))).isEqualTo(teacher);
        assertRejected(store, "store:../outside", sha, DeadLetterReason.PATH_OUTSIDE_STORE,
                "CheckpointEvent.uri: path outside the model store root: store:../outside");
        assertRejected(store, "store:/etc", sha, DeadLetterReason.PATH_OUTSIDE_STORE,
                "CheckpointEvent.uri: model store URI must name a relative path: store:/etc");
        assertRejected(store, "file:/etc", sha, DeadLetterReason.PATH_OUTSIDE_STORE,
                "CheckpointEvent.uri: model store URI must start with 'store:': file:/etc");
        assertRejected(store, "store:teachers/escape", sha, DeadLetterReason.PATH_OUTSIDE_STORE,
                "CheckpointEvent.uri: path leaves the model store through a link: store:teachers/escape");
        assertRejected(store, "store:teachers/linked", sha, DeadLetterReason.PATH_OUTSIDE_STORE,
                "CheckpointEvent.uri: path leaves the model store through a link: store:teachers/linked/model.safetensors");
        assertRejected(store, "store:teachers/none", sha, DeadLetterReason.MISSING_FILE,
                "CheckpointEvent.uri: store:teachers/none holds no model.safetensors");
        assertRejected(store, "store:teachers/no-config", sha, DeadLetterReason.MISSING_FILE,
                "CheckpointEvent.uri: store:teachers/no-config is not a model directory of the store (no config.json)");
        Files.writeString(teacher.resolve("model.safetensors"), "weightz");
        assertRejected(store, "store:teachers/t", sha, DeadLetterReason.TAMPERED_CHECKPOINT,
                "CheckpointEvent.sha256: " + sha + " does not match store:teachers/t/model.safetensors ("
                        + ModelStore.sha256(teacher.resolve("model.safetensors")) + ")");
    }

    private static void assertRejected(ModelStore store, String uri, String sha, DeadLetterReason reason,
            String message) {
        assertThatThrownBy(() -> TeacherCheckpoints.verifiedDirectory(store, event(uri, sha)))
                .isInstanceOfSatisfying(RejectedRecordException.class,
                        e -> assertThat(e.deadLetterReason()).isEqualTo(reason))
                .hasMessage(message);
    }

    private static Path model(Path directory, String weights) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("config.json"), "{}");
        Files.writeString(directory.resolve("model.safetensors"), weights);
        return directory;
    }

    private static CheckpointEvent event(String uri, String sha256) {
        return CheckpointEvent.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId("j"))
                .setRole(ModelRole.TEACHER).setFinal(true).setUri(uri).setSha256(sha256).build();
    }
}
