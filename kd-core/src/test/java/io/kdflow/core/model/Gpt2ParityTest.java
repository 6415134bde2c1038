package io.kdflow.core.model;

import static io.kdflow.core.testing.ReferenceTensors.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.testing.ReferenceTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GPT-2 reproduces transformers' logits for the three golden prompts, full pass and KV-cached steps. */
class Gpt2ParityTest {

    @TempDir
    Path temp;

    @Test
    void shouldMatchTransformersLogitsForEveryPrompt() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.GPT2, temp);
        try (NDManager manager = NDManager.newBaseManager();
                CausalLm model = PretrainedModels.loadCausalLm(dir, manager)) {
            Map<String, NDArray> ref = ReferenceTensors.load(dir.resolve("reference.safetensors"), manager);
            for (int i = 0; i < 3; i++) {
                NDArray ids = ref.get("input_ids_" + i).expandDims(0); // (1, T)
                NDArray expected = ref.get("logits_" + i).expandDims(0);

                double fullError = maxAbsDiff(model.logits(ids, null, RunMode.INFERENCE), expected);
                double cachedError;
                try (IncrementalDecoder decoder = model.startDecoding(1, 16)) {
                    long length = ids.getShape().get(1);
                    NDArray prefix = decoder.step(ids.get(":, :{}", length - 1)); // prompt minus the last token
                    NDArray last = decoder.step(ids.get(":, {}:", length - 1));
                    cachedError = maxAbsDiff(prefix.concat(last, 1), expected);
                }
                System.out.printf("gpt2-tiny parity: logits_%d %.3g (KV-cached %.3g)%n", i, fullError, cachedError);
                assertThat(fullError).isLessThan(Seq2SeqParityTest.TOLERANCE);
                assertThat(cachedError).isLessThan(Seq2SeqParityTest.TOLERANCE);
            }
        }
    }
}
