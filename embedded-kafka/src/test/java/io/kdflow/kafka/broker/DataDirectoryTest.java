package io.kdflow.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {

    @TempDir
    Path tmp;

    @Test
    void shouldCreateAFreshTemporaryDirectoryWhenNoneIsRequested() {
        DataDirectory first = DataDirectory.prepare(Optional.empty());
        DataDirectory second = DataDirectory.prepare(Optional.empty());
        try {
            assertThat(first.path()).isEmptyDirectory();
            assertThat(first.path()).isNotEqualTo(second.path());
            assertThat(first.isFormatted()).isFalse();
        } finally {
            first.delete();
            second.delete();
        }
        assertThat(first.path()).doesNotExist();
    }

    @Test
    void shouldCreateAMissingRequestedDirectoryForFormatting() {
        Path requested = tmp.resolve("a/b/kafka");

        DataDirectory dir = DataDirectory.prepare(Optional.of(requested));

        assertThat(dir.path()).isEqualTo(requested.toAbsolutePath()).isEmptyDirectory();
        assertThat(dir.isFormatted()).isFalse();
    }

    @Test
    void shouldReuseADirectoryWhenItHoldsKafkaStorage() throws IOException {
        Files.writeString(tmp.resolve(DataDirectory.META_PROPERTIES), "node.id=1\n");
        Files.createDirectories(tmp.resolve("__cluster_metadata-0"));

        DataDirectory dir = DataDirectory.prepare(Optional.of(tmp));

        assertThat(dir.isFormatted()).isTrue();
    }

    @Test
    void shouldRefuseANonEmptyDirectoryWhenItIsNotKafkaStorage() throws IOException {
        Path notes = Files.writeString(tmp.resolve("notes.txt"), "precious");

        assertThatThrownBy(() -> DataDirectory.prepare(Optional.of(tmp)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(tmp.toString())
                .hasMessageContaining("not empty and holds no Kafka storage");
        assertThat(notes).hasContent("precious");
    }

    @Test
    void shouldRefuseAFileWhenADirectoryIsExpected() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");

        assertThatThrownBy(() -> DataDirectory.prepare(Optional.of(file)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a file, not a directory");
    }

    @Test
    void shouldDeleteTheWholeTreeWhenDeleted() throws IOException {
        DataDirectory dir = DataDirectory.prepare(Optional.of(tmp.resolve("kafka")));
        Files.createDirectories(dir.path().resolve("topic-0"));
        Files.writeString(dir.path().resolve("topic-0/00000000000000000000.log"), "records");

        dir.delete();
        dir.delete();

        assertThat(dir.path()).doesNotExist();
    }
}
