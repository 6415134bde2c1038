package io.kdflow.core.safetensors;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated JSON header of a safetensors file.
 *
 * <p>Layout: 8 bytes little-endian header length N, N bytes of UTF-8 JSON, then the data section. The
 * JSON maps tensor names to {@code {"dtype", "shape", "data_offsets": [begin, end]}} and may hold a
 * {@code "__metadata__"} map of strings. Every check the format requires is made here, before any
 * tensor byte is read: known dtype, shape product times dtype size equal to the byte range, ranges
 * inside the data section, sorted, not overlapping and covering it without holes.
 */
public final class SafetensorsHeader {

    /** Header-length limit of the reference implementation; a larger value means a corrupt file. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";
    private static final int MAX_RANK = 64;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    private final Map<String, TensorEntry> tensors;
    private final Map<String, String> metadata;

    private SafetensorsHeader(Map<String, TensorEntry> tensors, Map<String, String> metadata) {
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /** Tensors in data-section order. */
    public Map<String, TensorEntry> tensors() {
        return tensors;
    }

    /** The {@code __metadata__} map (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Checks the 8-byte length prefix against the file size before anything is allocated.
     *
     * @return the header length as an int
     */
    public static int checkHeaderLength(long headerLength, long fileSize, String file)
            throws SafetensorsFormatException {
        if (fileSize < 8) {
            throw new SafetensorsFormatException(file, "file is " + fileSize + " bytes, shorter than the 8-byte header length");
        }
        if (headerLength < 2) {
            throw new SafetensorsFormatException(file, "header length " + headerLength + " is too small for a JSON object");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new SafetensorsFormatException(file, "header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (headerLength > fileSize - 8) {
            throw new SafetensorsFormatException(file, "header length " + headerLength + " runs past the end of the "
                    + fileSize + "-byte file");
        }
        return (int) headerLength;
    }

    /**
     * Parses and validates a header.
     *
     * @param json the header bytes (after the 8-byte length)
     * @param dataSize bytes in the data section (file size - 8 - header length)
     * @param file the file name for error messages
     */
    public static SafetensorsHeader parse(byte[] json, long dataSize, String file) throws SafetensorsFormatException {
        JsonNode root = readJson(json, file);
        if (!root.isObject()) {
            throw new SafetensorsFormatException(file, "header is not a JSON object");
        }
        Map<String, String> metadata = Map.of();
        List<TensorEntry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (METADATA_KEY.equals(field.getKey())) {
                metadata = parseMetadata(field.getValue(), file);
            } else {
                entries.add(parseEntry(field.getKey(), field.getValue(), file));
            }
        }
        checkLayout(entries, dataSize, file);
        Map<String, TensorEntry> byName = new LinkedHashMap<>();
        for (TensorEntry entry : entries) {
            byName.put(entry.name(), entry);
        }
        return new SafetensorsHeader(byName, metadata);
    }

    private static JsonNode readJson(byte[] json, String file) throws SafetensorsFormatException {
        try {
            // readTree(byte[]) also rejects trailing tokens after the object.
            JsonNode root = JSON.readTree(json);
            if (root == null || root.isMissingNode()) {
                throw new SafetensorsFormatException(file, "header is empty");
            }
            return root;
        } catch (SafetensorsFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Jackson reports malformed UTF-8, bad JSON, duplicates and size limits this way.
            throw new SafetensorsFormatException(file, "header is not valid JSON: " + firstLine(e.getMessage()), e);
        }
    }

    private static Map<String, String> parseMetadata(JsonNode node, String file) throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw new SafetensorsFormatException(file, "__metadata__ must be a JSON object of strings");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw new SafetensorsFormatException(file, "__metadata__ value for '" + field.getKey() + "' is not a string");
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
        return metadata;
    }

    private static TensorEntry parseEntry(String name, JsonNode node, String file) throws SafetensorsFormatException {
        if (name.isEmpty()) {
            throw new SafetensorsFormatException(file, name, "empty tensor name");
        }
        if (!node.isObject()) {
            throw new SafetensorsFormatException(file, name, "entry is not a JSON object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new SafetensorsFormatException(file, name, "missing or non-string 'dtype'");
        }
        SafetensorsDtype dtype = SafetensorsDtype.fromHeaderName(dtypeNode.textValue()).orElseThrow(
                () -> new SafetensorsFormatException(file, name, "unknown dtype '" + dtypeNode.textValue() + "'"));
        long[] shape = parseShape(name, node.get("shape"), file);
        long[] offsets = parseOffsets(name, node.get("data_offsets"), file);
        long expectedBytes = byteLength(name, shape, dtype, file);
        if (offsets[1] - offsets[0] != expectedBytes) {
            throw new SafetensorsFormatException(file, name, "data_offsets [" + offsets[0] + ", " + offsets[1]
                    + "] hold " + (offsets[1] - offsets[0]) + " bytes but shape and dtype need " + expectedBytes);
        }
        return new TensorEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] parseShape(String name, JsonNode node, String file) throws SafetensorsFormatException {
        if (node == null || !node.isArray()) {
            throw new SafetensorsFormatException(file, name, "missing or non-array 'shape'");
        }
        if (node.size() > MAX_RANK) {
            throw new SafetensorsFormatException(file, name, "shape has " + node.size() + " dimensions (limit " + MAX_RANK + ")");
        }
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeLong(node.get(i), name, "shape[" + i + "]", file);
        }
        return shape;
    }

    private static long[] parseOffsets(String name, JsonNode node, String file) throws SafetensorsFormatException {
        if (node == null || !node.isArray() || node.size() != 2) {
            throw new SafetensorsFormatException(file, name, "'data_offsets' must be an array [begin, end]");
        }
        long begin = nonNegativeLong(node.get(0), name, "data_offsets begin", file);
        long end = nonNegativeLong(node.get(1), name, "data_offsets end", file);
        if (begin > end) {
            throw new SafetensorsFormatException(file, name, "data_offsets begin " + begin + " > end " + end);
        }
        return new long[] {begin, end};
    }

    private static long nonNegativeLong(JsonNode node, String name, String what, String file)
            throws SafetensorsFormatException {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw new SafetensorsFormatException(file, name, what + " is not a non-negative 64-bit integer: " + node);
        }
        return node.longValue();
    }

    private static long byteLength(String name, long[] shape, SafetensorsDtype dtype, String file)
            throws SafetensorsFormatException {
        try {
            long count = 1;
            for (long dim : shape) {
                count = Math.multiplyExact(count, dim);
            }
            return Math.multiplyExact(count, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new SafetensorsFormatException(file, name, "shape overflows a 64-bit byte count");
        }
    }

    /** Ranges must tile the data section exactly: sorted, no overlap, no hole, nothing left over. */
    private static void checkLayout(List<TensorEntry> entries, long dataSize, String file)
            throws SafetensorsFormatException {
        entries.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        long expectedBegin = 0;
        for (TensorEntry entry : entries) {
            if (entry.end() > dataSize) {
                throw new SafetensorsFormatException(file, entry.name(), "data_offsets end " + entry.end()
                        + " lies past the " + dataSize + "-byte data section");
            }
            if (entry.begin() < expectedBegin) {
                throw new SafetensorsFormatException(file, entry.name(), "byte range [" + entry.begin() + ", "
                        + entry.end() + ") overlaps the previous tensor (which ends at " + expectedBegin + ")");
            }
            if (entry.begin() > expectedBegin) {
                throw new SafetensorsFormatException(file, entry.name(), "hole in the data section: bytes ["
                        + expectedBegin + ", " + entry.begin() + ") belong to no tensor");
            }
            expectedBegin = entry.end();
        }
        if (expectedBegin != dataSize) {
            throw new SafetensorsFormatException(file, "data section is " + dataSize + " bytes but the tensors cover "
                    + expectedBegin);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no detail)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
