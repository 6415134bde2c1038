package io.kdflow.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.model.config.ModelConfigException;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.RunMode;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A tiny randomly initialised BART learns to copy its input: AdamW with warmup/decay, dropout on,
 * gradient accumulation, and the loss on unseen sequences ends near zero.
 */
class CopyTaskTrainingTest {

    private static final int VOCAB = 24;
    private static final int PAD = 1;
    private static final int BOS = 0;
    private static final int EOS = 2;
    private static final int MAX_LENGTH = 8;

    /** Source ids ({@code <s> x </s>} padded), mask and labels ({@code x </s>}, -100 padded). */
    record Batch(long[][] inputIds, long[][] attentionMask, long[][] labels) {}

    @Test
    void shouldLearnToCopyAndReachNearZeroLoss() throws ModelConfigException {
        Random random = new Random(7);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.initialize(tinyBart(0.1, 64, 1), manager, 42)) {
            Seq2SeqModel seq2seq = (Seq2SeqModel) model;
            int steps = 1000;
            Trainer trainer = new Trainer(new AdamW(model.parameters(), AdamW.Settings.defaults(0.01)),
                    new LinearWarmupDecay(3e-3, 50, steps), 1.0, manager);
            Batch held = batch(random, 64);
            double initial = evalLoss(seq2seq, held, manager);

            StepResult last = null;
            for (int step = 0; step < steps; step++) {
                List<Batch> microBatches = List.of(batch(random, 16), batch(random, 16));
                last = trainer.step(microBatches, (m, b) -> loss(seq2seq, b, m, RunMode.TRAINING));
            }

            double finalLoss = evalLoss(seq2seq, held, manager);
            System.out.printf("copy task: eval loss %.4f -> %.4f, last train loss %.4f, grad norm %.3f%n", initial,
                    finalLoss, last.loss(), last.gradientNorm());
            assertThat(initial).isGreaterThan(2.5);
            assertThat(finalLoss).isLessThan(0.05);
            assertThat(last.step()).isEqualTo(steps - 1);
            assertThat(last.learningRate()).isCloseTo(3e-3 / 950, within(1e-9));
        }
    }

    @Test
    void shouldAccumulateGradientsLikeOneBigBatch() throws ModelConfigException {
        Random random = new Random(3);
        Batch first = batch(random, 4, 6);
        Batch second = batch(random, 4, 6);
        Batch joined = new Batch(concat(first.inputIds(), second.inputIds()),
                concat(first.attentionMask(), second.attentionMask()), concat(first.labels(), second.labels()));
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel accumulated = PretrainedModels.initialize(tinyBart(0), manager, 5);
                PretrainedModel single = PretrainedModels.initialize(tinyBart(0), manager, 5)) {
            step((Seq2SeqModel) accumulated, List.of(first, second), manager);
            step((Seq2SeqModel) single, List.of(joined), manager);

            for (int i = 0; i < accumulated.parameters().size(); i++) {
                float[] a = accumulated.parameters().get(i).array().toFloatArray();
                float[] b = single.parameters().get(i).array().toFloatArray();
                for (int j = 0; j < a.length; j++) {
                    assertThat(a[j]).as(accumulated.parameters().get(i).name()).isCloseTo(b[j], within(2e-6f));
                }
            }
        }
    }

    private static void step(Seq2SeqModel model, List<Batch> microBatches, NDManager manager) {
        Trainer trainer = new Trainer(new AdamW(model.parameters(), AdamW.Settings.defaults(0.01)),
                LearningRateSchedule.constant(1e-2), 1.0, manager);
        trainer.step(microBatches, (m, b) -> loss(model, b, m, RunMode.TRAINING));
    }

    static ModelConfig tinyBart(double dropout) throws ModelConfigException {
        return tinyBart(dropout, 32, 2);
    }

    /** A small BART config; copying is learned within a few hundred steps at d_model 64, one layer each. */
    static ModelConfig tinyBart(double dropout, int dModel, int layers) throws ModelConfigException {
        Map<String, Object> keys = new HashMap<>();
        keys.put("model_type", "bart");
        keys.put("vocab_size", VOCAB);
        keys.put("d_model", dModel);
        keys.put("encoder_layers", layers);
        keys.put("decoder_layers", layers);
        keys.put("encoder_attention_heads", 4);
        keys.put("decoder_attention_heads", 4);
        keys.put("encoder_ffn_dim", 2 * dModel);
        keys.put("decoder_ffn_dim", 2 * dModel);
        keys.put("max_position_embeddings", 16);
        keys.put("dropout", dropout);
        keys.put("pad_token_id", PAD);
        keys.put("bos_token_id", BOS);
        keys.put("eos_token_id", EOS);
        keys.put("decoder_start_token_id", EOS);
        return ModelConfigs.parse(keys, "tiny-bart");
    }

    private static NDArray loss(Seq2SeqModel model, Batch batch, NDManager manager, RunMode mode) {
        return model.loss(manager.create(batch.inputIds()), manager.create(batch.attentionMask()),
                manager.create(batch.labels()), mode);
    }

    private static double evalLoss(Seq2SeqModel model, Batch batch, NDManager parent) {
        try (NDManager manager = parent.newSubManager(); Autograd.Scope noGrad = Autograd.disabled()) {
            return loss(model, batch, manager, RunMode.INFERENCE).getFloat();
        }
    }

    private static Batch batch(Random random, int rows) {
        return batch(random, rows, -1);
    }

    /** Random sequences of 3..MAX_LENGTH tokens (or exactly {@code fixedLength}). */
    private static Batch batch(Random random, int rows, int fixedLength) {
        long[][] inputs = new long[rows][MAX_LENGTH + 2];
        long[][] mask = new long[rows][MAX_LENGTH + 2];
        long[][] labels = new long[rows][MAX_LENGTH + 1];
        for (int r = 0; r < rows; r++) {
            int length = fixedLength > 0 ? fixedLength : 3 + random.nextInt(MAX_LENGTH - 2);
            Arrays.fill(inputs[r], PAD);
            Arrays.fill(labels[r], -100);
            inputs[r][0] = BOS;
            for (int t = 0; t < length; t++) {
                long token = 3 + random.nextInt(VOCAB - 3);
                inputs[r][t + 1] = token;
                labels[r][t] = token;
            }
            inputs[r][length + 1] = EOS;
            labels[r][length] = EOS;
            Arrays.fill(mask[r], 0, length + 2, 1);
        }
        return new Batch(inputs, mask, labels);
    }

    private static long[][] concat(long[][] a, long[][] b) {
        long[][] result = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, result, a.length, b.length);
        return result;
    }

}
