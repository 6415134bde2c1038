package io.kdflow.core.safetensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds raw safetensors bytes (valid or deliberately broken) for format tests. */
final class CorruptSafetensors {

    private CorruptSafetensors() {}

    /** 8-byte length of {@code header}, the header, then {@code data}. */
    static byte[] bytes(String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return bytes(json.length, json, data);
    }

    /** Same with an explicit (possibly lying) length prefix. */
    static byte[] bytes(long declaredLength, byte[] json, byte[] data) {
        ByteBuffer buffer = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(declaredLength).put(json).put(data);
        return buffer.array();
    }

    static Path write(Path dir, String name, byte[] content) {
        try {
            Path path = dir.resolve(name);
            Files.write(path, content);
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens the file and reads every tensor, as a loader would. */
    static void openAndReadAll(Path path) throws IOException {
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            for (String name : file.names()) {
                ByteBuffer bytes = file.read(name);
                if (bytes.remaining() != file.entry(name).byteLength()) {
                    throw new AssertionError("short read of " + name);
                }
            }
        }
    }
}
