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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** BART and T5 reproduce transformers' encoder states, logits and loss on the three golden texts. */
class Seq2SeqParityTest {

    static final double TOLERANCE = 1e-4;

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5})
    void shouldMatchTransformersEncoderLogitsAndLoss(String name) throws IOException {
        Path dir = HfTiny.copyModel(name, temp);
        try (NDManager manager = NDManager.newBaseManager();
                Seq2SeqModel model = PretrainedModels.loadSeq2Seq(dir, manager)) {
            Map<String, NDArray> ref = ReferenceTensors.load(dir.resolve("reference.safetensors"), manager);
            NDArray inputIds = ref.get("input_ids");
            NDArray mask = ref.get("attention_mask");

            EncoderOutput encoded = model.encode(inputIds, mask, RunMode.INFERENCE);
            NDArray logits = model.decode(ref.get("decoder_input_ids"), null, encoded, RunMode.INFERENCE);
            NDArray loss = model.loss(inputIds, mask, ref.get("labels"), RunMode.INFERENCE);
            int start = model.config().specialTokens().decoderStart();
            NDArray shifted = Labels.shiftRight(ref.get("labels"), start, model.config().specialTokens().pad());

            double encoderError = maxAbsDiff(encoded.hiddenStates(), ref.get("encoder_last_hidden_state"));
            double logitsError = maxAbsDiff(logits, ref.get("logits"));
            double lossError = maxAbsDiff(loss.reshape(1), ref.get("loss"));
            System.out.printf("%s parity: encoder_last_hidden_state %.3g, logits %.3g, loss %.3g (loss %.6f)%n",
                    name, encoderError, logitsError, lossError, loss.getFloat());
            assertThat(shifted.toLongArray()).isEqualTo(ref.get("decoder_input_ids").toLongArray());
            assertThat(encoderError).isLessThan(TOLERANCE);
            assertThat(logitsError).isLessThan(TOLERANCE);
            assertThat(lossError).isLessThan(TOLERANCE);
        }
    }
}
