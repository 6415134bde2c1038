package io.kdflow.core.model;

import static io.kdflow.core.testing.ReferenceTensors.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.model.nn.PackedWeights;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.testing.ReferenceTensors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The KV-cached decoders give the same logits as full passes, reproduce transformers' greedy outputs
 * (meta.json), and reorder rows as beam search needs.
 */
class IncrementalDecodingTest {

    private static JsonNode meta;

    @TempDir
    Path temp;

    @BeforeAll
    static void readMeta() throws IOException {
        try (InputStream in = IncrementalDecodingTest.class.getClassLoader().getResourceAsStream("hf-tiny/meta.json")) {
            meta = new ObjectMapper().readTree(in).get("models");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5})
    void shouldGiveTeacherForcedLogitsOneStepAtATime(String name) throws IOException {
        Path dir = HfTiny.copyModel(name, temp);
        try (NDManager manager = NDManager.newBaseManager();
                Seq2SeqModel model = PretrainedModels.loadSeq2Seq(dir, manager)) {
            Map<String, NDArray> ref = ReferenceTensors.load(dir.resolve("reference.safetensors"), manager);
            NDArray decoderInput = ref.get("decoder_input_ids");
            EncoderOutput encoded = model.encode(ref.get("input_ids"), ref.get("attention_mask"), RunMode.INFERENCE);
            NDArray full = model.decode(decoderInput, null, encoded, RunMode.INFERENCE);
            long length = decoderInput.getShape().get(1);

            List<NDArray> steps = new ArrayList<>();
            try (IncrementalDecoder decoder = model.startDecoding(encoded, (int) length)) {
                steps.add(decoder.step(decoderInput.get(":, :3"))); // a 3-token prefix in one call
                for (long t = 3; t < length; t++) {
                    steps.add(decoder.step(decoderInput.get(":, {}:{}", t, t + 1)));
                }
                assertThat(decoder.length()).isEqualTo(length);
                assertThatThrownBy(() -> decoder.step(decoderInput.get(":, :1")))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("capacity " + length + " exceeded");
            }
            NDArray stepped = steps.get(0);
            for (int i = 1; i < steps.size(); i++) {
                stepped = stepped.concat(steps.get(i), 1);
            }
            double error = maxAbsDiff(stepped, full);
            System.out.printf("%s KV-cached vs full logits: %.3g%n", name, error);
            assertThat(error).isLessThan(1e-5);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5})
    void shouldReproduceTransformersGreedyOutputs(String name) throws IOException {
        Path dir = HfTiny.copyModel(name, temp);
        JsonNode expected = meta.get(name).get("generate").get("greedy").get("sequences");
        try (NDManager manager = NDManager.newBaseManager();
                Seq2SeqModel model = PretrainedModels.loadSeq2Seq(dir, manager)) {
            Map<String, NDArray> ref = ReferenceTensors.load(dir.resolve("reference.safetensors"), manager);
            EncoderOutput encoded = model.encode(ref.get("input_ids"), ref.get("attention_mask"), RunMode.INFERENCE);

            long[][] generated = greedy(model, encoded, 24, manager);

            for (int row = 0; row < 3; row++) {
                assertThat(generated[row]).as("row " + row).containsExactly(longs(expected.get(row)));
            }
        }
    }

    @Test
    void shouldReorderRowsLikeBeamSearch() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.BART, temp);
        try (NDManager manager = NDManager.newBaseManager();
                Seq2SeqModel model = PretrainedModels.loadSeq2Seq(dir, manager)) {
            Map<String, NDArray> ref = ReferenceTensors.load(dir.resolve("reference.safetensors"), manager);
            NDArray tokens = ref.get("decoder_input_ids");
            EncoderOutput encoded = model.encode(ref.get("input_ids"), ref.get("attention_mask"), RunMode.INFERENCE);
            NDArray full = model.decode(tokens, null, encoded, RunMode.INFERENCE);
            try (IncrementalDecoder decoder = model.startDecoding(encoded, 8)) {
                decoder.step(tokens.get(":, :4"));
                NDArray rows = manager.create(new long[] {2, 0, 0, 1});
                decoder.reorder(rows);
                assertThat(decoder.batchSize()).isEqualTo(4);

                NDArray next = decoder.step(tokens.get(rows).get(":, 4:5"));

                NDArray expected = full.get(rows).get(":, 4:5, :");
                assertThat(maxAbsDiff(next, expected)).isLessThan(1e-5);
            }
            EncoderOutput beams = encoded.repeatRows(2); // row i -> rows 2i, 2i+1
            assertThat(beams.hiddenStates().getShape().get(0)).isEqualTo(6);
            assertThat(beams.hiddenStates().get(3).contentEquals(encoded.hiddenStates().get(1))).isTrue();
            assertThat(beams.attentionMask().get(5).contentEquals(encoded.attentionMask().get(2))).isTrue();
            try (IncrementalDecoder decoder = model.startDecoding(beams, 2)) {
                NDArray first = decoder.step(tokens.repeat(0, 2).get(":, :1"));
                assertThat(maxAbsDiff(first.get("4:6"), full.get("2:3, :1, :").repeat(0, 2))).isLessThan(1e-5);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5, HfTiny.GPT2})
    void shouldNotLeaveArraysBehindWhenEachStepHasItsOwnManager(String name) throws IOException {
        Path dir = HfTiny.copyModel(name, temp);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.load(dir, manager);
                NDManager run = manager.newSubManager()) {
            NDArray source = run.create(new long[][] {{5, 6, 7, 8}, {9, 10, 11, 12}});
            IncrementalDecoder decoder = model instanceof Seq2SeqModel seq2seq
                    ? seq2seq.startDecoding(seq2seq.encode(source, source.onesLike(), RunMode.INFERENCE), 12)
                    : ((CausalLm) model).startDecoding(2, 12);
            int[] counts = new int[11];
            for (int step = 0; step < counts.length; step++) {
                try (NDManager stepManager = run.newSubManager()) {
                    decoder.step(stepManager.create(new long[][] {{3}, {4}}));
                }
                counts[step] = manager.getManagedArrays().size();
            }
            decoder.close();
            assertThat(counts).containsOnly(counts[0]);
            long nonScalarArrays = model.manager().getManagedArrays().stream()
                    .filter(array -> !PackedWeights.isPackedCopy(array))
                    .filter(array -> array.getShape().dimension() > 0).count();
            assertThat(nonScalarArrays)
                    .as("the model manager holds only weights, their packed copies (and cached scalars)")
                    .isEqualTo(model.parameters().size());
        }
    }

    @Test
    void shouldReproduceGpt2GreedyOutputsFromALeftPaddedBatch() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.GPT2, temp);
        JsonNode expected = meta.get(HfTiny.GPT2).get("greedy_max_new_tokens_16");
        try (NDManager manager = NDManager.newBaseManager();
                CausalLm model = PretrainedModels.loadCausalLm(dir, manager)) {
            Map<String, NDArray> ref = ReferenceTensors.load(dir.resolve("reference.safetensors"), manager);
            int width = 6;
            long[] ids = new long[3 * width];
            long[] mask = new long[3 * width];
            List<long[]> prompts = new ArrayList<>();
            for (int row = 0; row < 3; row++) {
                long[] prompt = ref.get("input_ids_" + row).toLongArray();
                prompts.add(prompt);
                for (int t = 0; t < prompt.length; t++) {
                    ids[row * width + width - prompt.length + t] = prompt[t]; // left padding with 0
                    mask[row * width + width - prompt.length + t] = 1;
                }
            }
            NDArray batch = manager.create(ids, new Shape(3, width));
            NDArray attention = manager.create(mask, new Shape(3, width));
            NDArray fullLogits = model.logits(batch, attention, RunMode.INFERENCE);

            List<List<Long>> outputs = new ArrayList<>();
            prompts.forEach(p -> outputs.add(new ArrayList<>(Arrays.stream(p).boxed().toList())));
            boolean[] done = new boolean[3];
            try (IncrementalDecoder decoder = model.startDecoding(3, width + 16)) {
                NDArray logits = decoder.step(batch, attention);
                assertThat(maxAbsDiff(logits.get(":, -1, :"), fullLogits.get(":, -1, :"))).isLessThan(1e-5);
                for (int step = 0; step < 16; step++) {
                    long[] next = logits.get(":, -1, :").argMax(1).toLongArray();
                    for (int row = 0; row < 3; row++) {
                        if (!done[row]) {
                            outputs.get(row).add(next[row]);
                            done[row] = next[row] == 0;
                        }
                    }
                    logits = decoder.step(manager.create(next, new Shape(3, 1)));
                }
            }
            for (int row = 0; row < 3; row++) {
                assertThat(outputs.get(row)).as("row " + row).containsExactly(boxed(longs(expected.get(row))));
            }
        }
    }

    /** Greedy decoding as transformers does it: finished rows continue with the pad token. */
    private static long[][] greedy(Seq2SeqModel model, EncoderOutput encoded, int maxNewTokens, NDManager manager) {
        int start = model.config().specialTokens().decoderStart();
        int eos = model.config().specialTokens().firstEos();
        int pad = model.config().specialTokens().pad();
        int batch = (int) encoded.hiddenStates().getShape().get(0);
        List<List<Long>> sequences = new ArrayList<>();
        long[] current = new long[batch];
        boolean[] done = new boolean[batch];
        for (int row = 0; row < batch; row++) {
            sequences.add(new ArrayList<>(List.of((long) start)));
            current[row] = start;
        }
        try (IncrementalDecoder decoder = model.startDecoding(encoded, maxNewTokens + 1)) {
            for (int step = 0; step < maxNewTokens && !allDone(done); step++) {
                try (NDManager stepManager = manager.newSubManager()) {
                    NDArray logits = decoder.step(stepManager.create(current, new Shape(batch, 1)));
                    long[] next = logits.get(":, -1, :").argMax(1).toLongArray();
                    for (int row = 0; row < batch; row++) {
                        current[row] = done[row] ? pad : next[row];
                        sequences.get(row).add(current[row]);
                        done[row] |= current[row] == eos;
                    }
                }
            }
        }
        long[][] result = new long[batch][];
        for (int row = 0; row < batch; row++) {
            result[row] = sequences.get(row).stream().mapToLong(Long::longValue).toArray();
        }
        return result;
    }

    private static boolean allDone(boolean[] done) {
        for (boolean d : done) {
            if (!d) {
                return false;
            }
        }
        return true;
    }

    private static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).longValue();
        }
        return values;
    }

    private static Long[] boxed(long[] values) {
        return Arrays.stream(values).boxed().toArray(Long[]::new);
    }
}
