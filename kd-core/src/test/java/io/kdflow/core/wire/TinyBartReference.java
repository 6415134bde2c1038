package io.kdflow.core.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Real teacher outputs from {@code wire/hf-tiny-bart/reference.safetensors} (see the README next to it):
 * input ids, labels and teacher-forced logits of a tiny BART (vocab 600) on three texts.
 */
final class TinyBartReference {

    static final int VOCAB_SIZE = 600;
    static final String[] TEXTS = {
        "You can apply it to your programs, too.",
        "the work must carry prominent notices",
        "Distribution of modified versions is permitted.",
    };
    private static final int PAD = 1;
    private static final int IGNORED_LABEL = -100;

    private static final TinyBartReference INSTANCE = load();

    private final JsonNode header;
    private final ByteBuffer data;

    private TinyBartReference(JsonNode header, ByteBuffer data) {
        this.header = header;
        this.data = data;
    }

    static TinyBartReference get() {
        return INSTANCE;
    }

    /** {@code <s> text </s>} ids of text {@code text}, without padding. */
    int[] inputIds(int text) {
        long[] row = longRow("input_ids", text);
        int length = row.length;
        while (length > 0 && row[length - 1] == PAD) {
            length--;
        }
        return Arrays.stream(row, 0, length).mapToInt(Math::toIntExact).toArray();
    }

    /** Target ids of text {@code text} (ends with {@code </s>}), without ignored positions. */
    int[] labels(int text) {
        return Arrays.stream(longRow("labels", text)).filter(id -> id != IGNORED_LABEL).mapToInt(Math::toIntExact)
                .toArray();
    }

    /** Full-vocabulary log-probs (log_softmax of the logits, in double) at every label position. */
    float[][] logProbs(int text) {
        int positions = labels(text).length;
        JsonNode logits = header.get("logits");
        int targetLength = logits.get("shape").get(1).asInt();
        float[][] rows = new float[positions][VOCAB_SIZE];
        int base = logits.get("data_offsets").get(0).asInt();
        for (int p = 0; p < positions; p++) {
            double[] row = new double[VOCAB_SIZE];
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < VOCAB_SIZE; v++) {
                row[v] = data.getFloat(base + Float.BYTES * ((text * targetLength + p) * VOCAB_SIZE + v));
                max = Math.max(max, row[v]);
            }
            double sum = 0;
            for (double logit : row) {
                sum += StrictMath.exp(logit - max);
            }
            double logSum = max + StrictMath.log(sum);
            for (int v = 0; v < VOCAB_SIZE; v++) {
                rows[p][v] = (float) (row[v] - logSum);
            }
        }
        return rows;
    }

    private long[] longRow(String name, int text) {
        JsonNode tensor = header.get(name);
        int columns = tensor.get("shape").get(1).asInt();
        int base = tensor.get("data_offsets").get(0).asInt();
        long[] row = new long[columns];
        for (int i = 0; i < columns; i++) {
            row[i] = data.getLong(base + Long.BYTES * (text * columns + i));
        }
        return row;
    }

    private static TinyBartReference load() {
        try (InputStream in = TinyBartReference.class.getResourceAsStream("/wire/hf-tiny-bart/reference.safetensors")) {
            if (in == null) {
                throw new IllegalStateException("wire/hf-tiny-bart/reference.safetensors is not on the test classpath");
            }
            ByteBuffer file = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            int headerLength = Math.toIntExact(file.getLong(0));
            JsonNode header = new ObjectMapper().readTree(
                    new String(file.array(), Long.BYTES, headerLength, StandardCharsets.UTF_8));
            ByteBuffer data = file.slice(Long.BYTES + headerLength, file.capacity() - Long.BYTES - headerLength)
                    .order(ByteOrder.LITTLE_ENDIAN);
            return new TinyBartReference(header, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
