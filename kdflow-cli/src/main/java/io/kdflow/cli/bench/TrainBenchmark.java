package io.kdflow.cli.bench;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.train.AdamW;
import io.kdflow.core.train.LearningRateSchedule;
import io.kdflow.core.train.StepResult;
import io.kdflow.core.train.Trainer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training throughput: AdamW steps (lr 1e-4, weight decay 1e-5, no clipping) of teacher-forced
 * cross-entropy on one fixed batch of random tokens, through the product's {@link Trainer}. Like the
 * PyTorch baseline: {@link #WARMUP_STEPS} warm-up steps, then the mean of the timed steps.
 */
public final class TrainBenchmark {

    /** Warm-up steps before timing, as the baseline. */
    public static final int WARMUP_STEPS = 2;
    static final double LEARNING_RATE = 1e-4;
    static final double WEIGHT_DECAY = 1e-5;

    /**
     * @param stepSeconds mean wall time of one timed step
     * @param tokensPerSecond target tokens learned from per second, B * (T - 1) / stepSeconds
     * @param lastLoss loss of the last step (a sanity value: about ln(vocab) for random tokens)
     */
    public record Result(double stepSeconds, double tokensPerSecond, double lastLoss) {}

    /** One batch as Java arrays; each step turns it into arrays of its own manager, as a real trainer does. */
    private record Batch(long[] source, long[] mask, long[] labels) {}

    private final Seq2SeqModel model;
    private final BenchShape shape;
    private final int steps;

    public TrainBenchmark(Seq2SeqModel model, BenchShape shape, int steps) {
        if (steps < 1) {
            throw new BadInputException("timed steps must be >= 1, got " + steps);
        }
        this.model = model;
        this.shape = shape;
        this.steps = steps;
    }

    /** Trains the model in place (its weights change) and returns the timing. */
    public Result run(NDManager parent, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int vocab = model.config().vocabSize();
        int rows = shape.batch();
        long[] source = RandomTokens.of(random, rows, shape.sourceLength(), vocab);
        long[] mask = new long[source.length];
        Arrays.fill(mask, 1);
        // Labels are target[:, 1:]; the model feeds the decoder the start token + target[:, 1:-1].
        long[] target = RandomTokens.of(random, rows, shape.targetLength(), vocab);
        int labelLength = shape.targetLength() - 1;
        long[] labels = new long[rows * labelLength];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(target, r * shape.targetLength() + 1, labels, r * labelLength, labelLength);
        }
        List<Batch> batch = List.of(new Batch(source, mask, labels));
        Trainer.LossFunction<Batch> loss = (manager, b) -> model.loss(
                RandomTokens.array(manager, b.source(), rows, shape.sourceLength()),
                RandomTokens.array(manager, b.mask(), rows, shape.sourceLength()),
                RandomTokens.array(manager, b.labels(), rows, labelLength), RunMode.TRAINING);
        try (AdamW optimizer = new AdamW(model.parameters(), AdamW.Settings.defaults(WEIGHT_DECAY))) {
            Trainer trainer = new Trainer(optimizer, LearningRateSchedule.constant(LEARNING_RATE), 0, parent);
            for (int i = 0; i < WARMUP_STEPS; i++) {
                trainer.step(batch, loss);
            }
            long start = System.nanoTime();
            StepResult last = null;
            for (int i = 0; i < steps; i++) {
                last = trainer.step(batch, loss);
            }
            double stepSeconds = (System.nanoTime() - start) / 1e9 / steps;
            return new Result(stepSeconds, shape.trainTokens() / stepSeconds, last.loss());
        }
    }
}
