package io.kdflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No Java serialization anywhere in kdflow: records travel as protobuf, models as safetensors, state as JSON or
 * protobuf files. Scans the main sources of every module of the reactor (service-support's parent directory) for
 * a {@code Serializable} implementation, {@code ObjectOutputStream}/{@code ObjectInputStream} use or the
 * serialization hooks, and fails naming each file and line. (Exceptions are Serializable through Throwable by the
 * JDK's design; their {@code serialVersionUID} fields only quiet javac's serial lint, nothing serializes them.)
 */
class NoJavaSerializationTest {

    private static final Pattern JAVA_SERIALIZATION = Pattern.compile(
            "\\bSerializable\\b|\\bObjectOutputStream\\b|\\bObjectInputStream\\b"
                    + "|\\b(readObject|writeObject|readResolve|writeReplace)\\s*\\(|\\bExternalizable\\b");

    @Test
    void noMainSourceShouldUseJavaSerialization() throws IOException {
        Path reactor = Path.of("").toAbsolutePath().getParent();
        List<Path> sources;
        try (Stream<Path> modules = Files.list(reactor)) {
            sources = modules.map(module -> module.resolve("src/main/java")).filter(Files::isDirectory)
                    .flatMap(NoJavaSerializationTest::javaFiles).toList();
        }
        assertThat(sources).as("main sources of the reactor's modules").hasSizeGreaterThan(100)
                .anyMatch(p -> p.toString().contains("kd-core"));

        List<String> found = new ArrayList<>();
        for (Path source : sources) {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                if (JAVA_SERIALIZATION.matcher(lines.get(i)).find()) {
                    found.add(reactor.relativize(source) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertThat(found).as("Java serialization in main sources").isEmpty();
    }

    @Test
    void theScanShouldFindEachKindOfUse() {
        for (String line : List.of("record R(int a) implements java.io.Serializable {}",
                "try (var out = new ObjectOutputStream(stream)) {", "new ObjectInputStream(in).readObject();",
                "private Object readResolve() {")) {
            assertThat(JAVA_SERIALIZATION.matcher(line).find()).as(line).isTrue();
        }
        assertThat(JAVA_SERIALIZATION.matcher("SerializableFoo serializer = json.writer();").find()).isFalse();
    }

    private static Stream<Path> javaFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
