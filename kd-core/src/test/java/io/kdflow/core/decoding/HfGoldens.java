package io.kdflow.core.decoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.testing.ReferenceTensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** meta.json's generate results and the fixtures' reference inputs, in the shapes the decoding tests need. */
final class HfGoldens {

    private static final JsonNode MODELS = readMeta();

    private HfGoldens() {}

    static JsonNode model(String name) {
        return MODELS.get(name);
    }

    /** The reference batch's encoder inputs, padding removed. */
    static List<GenerationInput> sources(Path modelDir, NDManager manager) {
        Map<String, NDArray> ref = ReferenceTensors.load(modelDir.resolve("reference.safetensors"), manager);
        long[] ids = ref.get("input_ids").toLongArray();
        long[] mask = ref.get("attention_mask").toLongArray();
        int rows = (int) ref.get("input_ids").getShape().get(0);
        int width = ids.length / rows;
        List<GenerationInput> inputs = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            int length = 0;
            while (length < width && mask[r * width + length] == 1) {
                length++;
            }
            inputs.add(new GenerationInput(java.util.Arrays.copyOfRange(ids, r * width, r * width + length), r));
        }
        return inputs;
    }

    /** GPT-2's three prompts. */
    static List<GenerationInput> prompts(Path modelDir, NDManager manager) {
        Map<String, NDArray> ref = ReferenceTensors.load(modelDir.resolve("reference.safetensors"), manager);
        List<GenerationInput> inputs = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            inputs.add(new GenerationInput(ref.get("input_ids_" + r).toLongArray(), r));
        }
        return inputs;
    }

    static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).longValue();
        }
        return values;
    }

    /**
     * The generated part of a padded {@code generate} row: after the {@code skip} prefix tokens, up to
     * and including the first EOS.
     */
    static long[] generatedPart(long[] row, int skip, long eos) {
        int end = skip;
        while (end < row.length && row[end] != eos) {
            end++;
        }
        return java.util.Arrays.copyOfRange(row, skip, Math.min(row.length, end + 1));
    }

    private static JsonNode readMeta() {
        try (InputStream in = HfGoldens.class.getClassLoader().getResourceAsStream("hf-tiny/meta.json")) {
            return new ObjectMapper().readTree(in).get("models");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
