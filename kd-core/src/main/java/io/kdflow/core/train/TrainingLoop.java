package io.kdflow.core.train;

import ai.djl.engine.Engine;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.TrainingSettings;
import io.kdflow.core.model.ModelDirectoryWriter;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.nn.Dropout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The training loop of every entry point: micro-batches from a {@link BatchSource}, encoded, their
 * {@link TrainingObjective} loss accumulated over {@code gradient_accumulation} micro-batches per
 * optimizer step ({@link Trainer}: clipping, AdamW, linear warmup/decay), listeners told after each step,
 * and a {@link CheckpointSink} called every {@code checkpoint_every_steps} steps.
 *
 * <p>Reproducible: libtorch's generator (dropout) is re-seeded from the seed and the step index before each
 * step, and sources shuffle from the seed, so a run resumed from {@link #save}d state takes exactly the
 * steps the uninterrupted run would have taken.
 */
public final class TrainingLoop implements AutoCloseable {

    private final PretrainedModel model;
    private final TrainingObjective objective;
    private final BatchSource source;
    private final Function<List<TrainingExample>, TrainingBatch> encoder;
    private final TrainingSettings settings;
    private final LinearWarmupDecay schedule;
    private final AdamW optimizer;
    private final Trainer trainer;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final List<TrainingBatch> pending = new ArrayList<>();
    private CheckpointSink checkpoints = (loop, last) -> { };

    /**
     * @param encoder turns a micro-batch of examples into model inputs (see {@link TrainingBatch})
     * @param scheduleSteps optimizer steps of the learning-rate schedule; the loop stops there
     */
    public TrainingLoop(PretrainedModel model, TrainingObjective objective, BatchSource source,
            Function<List<TrainingExample>, TrainingBatch> encoder, TrainingSettings settings, long scheduleSteps) {
        this.model = model;
        this.objective = objective;
        this.source = source;
        this.encoder = encoder;
        this.settings = settings;
        this.schedule = new LinearWarmupDecay(settings.learningRate(), settings.warmupSteps(), scheduleSteps);
        this.optimizer = new AdamW(model.parameters(), AdamW.Settings.defaults(settings.weightDecay()));
        this.trainer = new Trainer(optimizer, schedule, settings.maxGradNorm(), model.manager());
    }

    public TrainingLoop addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    public TrainingLoop onCheckpoint(CheckpointSink sink) {
        this.checkpoints = sink;
        return this;
    }

    /** Optimizer steps done. */
    public long steps() {
        return optimizer.steps();
    }

    /** True once the schedule's last step is done. */
    public boolean finished() {
        return steps() >= schedule.totalSteps();
    }

    public String objectiveName() {
        return objective.name();
    }

    /** The objective (a runner prepares some before the first step, e.g. attention-relation KD's scales). */
    public TrainingObjective objective() {
        return objective;
    }

    /** Encodes a micro-batch of examples as this loop's steps do (for preparing the objective on them). */
    public TrainingBatch encode(List<TrainingExample> examples) {
        return encoder.apply(examples);
    }

    /**
     * Takes optimizer steps while the source has data, at most {@code maxSteps} and never past the schedule's
     * end; a finite source's last micro-batches make a final, shorter step. Returns the steps taken.
     */
    public long run(long maxSteps) {
        long taken = 0;
        while (taken < maxSteps && !finished()) {
            Optional<List<TrainingExample>> next = source.next();
            if (next.isPresent()) {
                pending.add(encoder.apply(next.get()));
                if (pending.size() < settings.gradientAccumulation()) {
                    continue;
                }
            } else if (pending.isEmpty() || !source.exhausted()) {
                break;
            }
            step();
            taken++;
        }
        return taken;
    }

    private void step() {
        long index = optimizer.steps();
        long stepSeed = settings.seed() * 0x9E3779B97F4A7C15L + index;
        Engine.getInstance().setRandomSeed(Long.hashCode(stepSeed));
        Dropout.seed(stepSeed); // dropout masks are drawn in Java (Dropout), not by libtorch's generator
        long tokens = pending.stream().mapToLong(batch -> batch.pairs().targetTokens()).sum();
        long start = System.nanoTime();
        StepResult result = trainer.step(pending, (manager, batch) -> objective.loss(manager, batch, index));
        pending.clear();
        StepReport report = new StepReport(result, tokens, (System.nanoTime() - start) / 1e9, source.position());
        listeners.forEach(listener -> listener.onStep(report));
        if (report.stepsDone() % settings.checkpointEverySteps() == 0) {
            checkpoints.checkpoint(this, report);
        }
    }

    /**
     * Writes the full resume state into {@code directory}: the model as a Hugging Face directory (tokenizer
     * and generation config copied from {@code assetsFrom}), {@code optimizer.safetensors} (AdamW moments
     * and step count) and {@code training_state.json} (schedule, data position and the objective's state).
     */
    public void save(Path directory, Path assetsFrom) throws IOException {
        if (!pending.isEmpty()) {
            throw new IllegalStateException("save between optimizer steps, not inside an accumulation");
        }
        ModelDirectoryWriter.save(model, directory, assetsFrom);
        OptimizerState.save(optimizer, directory);
        TrainingStateFile.write(directory, new TrainingStateFile.State(steps(), schedule, source.position(),
                objective.state()));
    }

    /**
     * Restores optimizer, schedule position, data position and the objective's state from a directory
     * {@link #save} wrote; the model must have been loaded from the same directory.
     *
     * @throws BadInputException when the checkpoint was written under another schedule or is incomplete, or its
     *     objective state does not fit this loop's objective
     */
    public void restore(Path directory) throws IOException {
        TrainingStateFile.State state = restoreOptimization(directory);
        if (state.objective().isPresent()) {
            try {
                objective.restoreState(state.objective().get());
            } catch (BadInputException e) {
                throw new BadInputException(directory.resolve(TrainingStateFile.FILE) + ": objective_state: "
                        + e.getMessage(), e);
            }
        }
        source.seek(state.data());
        pending.clear();
    }

    /**
     * Restores optimizer and schedule position from a directory {@link #save} wrote, but not its data
     * position: this loop's source starts where it stands. The next phase of a run on other data continues
     * the same learning-rate schedule (the final cross-entropy fine-tune from the best KD checkpoint).
     *
     * @throws BadInputException when the checkpoint was written under another schedule or is incomplete
     */
    public void restoreContinuingSchedule(Path directory) throws IOException {
        restoreOptimization(directory);
        pending.clear();
    }

    private TrainingStateFile.State restoreOptimization(Path directory) throws IOException {
        TrainingStateFile.State state = TrainingStateFile.read(directory);
        if (!state.schedule().equals(schedule)) {
            throw new BadInputException(directory.resolve(TrainingStateFile.FILE) + ": the checkpoint ran under "
                    + state.schedule() + ", this run has " + schedule);
        }
        OptimizerState.load(optimizer, directory);
        if (optimizer.steps() != state.steps()) {
            throw new BadInputException(directory + ": " + OptimizerState.FILE + " is at step " + optimizer.steps()
                    + " but " + TrainingStateFile.FILE + " at step " + state.steps());
        }
        return state;
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
