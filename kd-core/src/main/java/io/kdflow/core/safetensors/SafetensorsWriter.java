package io.kdflow.core.safetensors;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files the way the reference implementation does, so {@code transformers} and
 * {@code safetensors} read them: tensors ordered by dtype size (largest first, which keeps every
 * tensor aligned) then by name, header keys in that order after {@code __metadata__}, the JSON padded
 * with spaces to a multiple of 8 bytes. The file is written next to its target and moved into place.
 */
public final class SafetensorsWriter {

    /** The metadata {@code transformers} writes for PyTorch weights. */
    public static final Map<String, String> PYTORCH_METADATA = Map.of("format", "pt");

    private static final JsonFactory JSON = new JsonFactory();

    private SafetensorsWriter() {}

    /** Writes {@code tensors} with the given {@code __metadata__} (omitted when empty). */
    public static void write(Path target, Map<String, TensorData> tensors, Map<String, String> metadata)
            throws IOException {
        List<Map.Entry<String, TensorData>> ordered = order(tensors);
        byte[] header = header(ordered, metadata);
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
            writeFully(out, length);
            writeFully(out, ByteBuffer.wrap(header));
            for (Map.Entry<String, TensorData> entry : ordered) {
                writeFully(out, entry.getValue().data());
            }
            out.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static List<Map.Entry<String, TensorData>> order(Map<String, TensorData> tensors) {
        List<Map.Entry<String, TensorData>> ordered = new ArrayList<>(tensors.entrySet());
        for (Map.Entry<String, TensorData> entry : ordered) {
            if (entry.getKey().isEmpty() || SafetensorsHeader.METADATA_KEY.equals(entry.getKey())) {
                throw new IllegalArgumentException("invalid tensor name '" + entry.getKey() + "'");
            }
        }
        ordered.sort(Comparator.<Map.Entry<String, TensorData>>comparingInt(e -> -e.getValue().dtype().byteSize())
                .thenComparing(Map.Entry::getKey));
        return ordered;
    }

    private static byte[] header(List<Map.Entry<String, TensorData>> ordered, Map<String, String> metadata) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(bytes, JsonEncoding.UTF8)) {
            json.writeStartObject();
            if (!metadata.isEmpty()) {
                json.writeObjectFieldStart(SafetensorsHeader.METADATA_KEY);
                for (Map.Entry<String, String> entry : metadata.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey()).toList()) {
                    json.writeStringField(entry.getKey(), entry.getValue());
                }
                json.writeEndObject();
            }
            long offset = 0;
            for (Map.Entry<String, TensorData> entry : ordered) {
                TensorData tensor = entry.getValue();
                long end = offset + tensor.data().remaining();
                json.writeObjectFieldStart(entry.getKey());
                json.writeStringField("dtype", tensor.dtype().headerName());
                json.writeArrayFieldStart("shape");
                for (long dim : tensor.shape()) {
                    json.writeNumber(dim);
                }
                json.writeEndArray();
                json.writeArrayFieldStart("data_offsets");
                json.writeNumber(offset);
                json.writeNumber(end);
                json.writeEndArray();
                json.writeEndObject();
                offset = end;
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        int padding = (8 - bytes.size() % 8) % 8;
        for (int i = 0; i < padding; i++) {
            bytes.write(' ');
        }
        return bytes.toByteArray();
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
