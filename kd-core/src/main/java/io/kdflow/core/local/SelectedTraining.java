package io.kdflow.core.local;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.engine.DecodingWorkers;
import io.kdflow.core.eval.EvalExample;
import io.kdflow.core.eval.EvaluationSettings;
import io.kdflow.core.eval.MetricNames;
import io.kdflow.core.eval.SplitEvaluator;
import io.kdflow.core.job.TrainingSettings;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.train.BatchSource;
import io.kdflow.core.train.DataPosition;
import io.kdflow.core.train.FinalFineTune;
import io.kdflow.core.train.ObjectiveSpec;
import io.kdflow.core.train.StepReport;
import io.kdflow.core.train.StudentTraining;
import io.kdflow.core.train.objective.StudentSampleScorer;
import io.kdflow.core.train.TrainingBatch;
import io.kdflow.core.train.TrainingExample;
import io.kdflow.core.train.TrainingLoop;
import io.kdflow.core.train.objective.AttentionRelationObjective;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One training phase with dev selection (the CE baseline, the KD student, the final fine-tune): optimizer
 * steps over an epoch source, dev evaluations at the {@link EvaluationSchedule}'s steps with the evaluator's
 * metrics and decoding, the best checkpoint on the selection metric kept in {@code <dir>/best/} (Hugging Face
 * layout, the resume state and {@code provenance.json}), early stopping after {@code patience} evaluations
 * without improvement, and {@code <dir>/last/} (resume state and the evaluations so far) at every evaluation
 * and checkpoint cadence, deleted once the phase is done. A rerun of an interrupted phase resumes from
 * {@code last/}; a finished phase is found by its marker and not run again. {@code <dir>/steps.jsonl} logs
 * every optimizer step's loss.
 */
final class SelectedTraining {

    static final String LAST = "last";
    static final String BEST = "best";
    static final String PROVENANCE = "provenance.json";
    private static final String SELECTION = "selection.json";

    /**
     * What a phase trains.
     *
     * @param name e.g. {@code kd}
     * @param dir the phase's directory
     * @param key what makes its output (job hash and inputs): a marker or resume state of another key is stale
     * @param scorer the teacher of remote Joint-Teaching's student samples (an objective whose teacher source is
     *     REMOTE); empty otherwise
     * @param start the directory a fresh phase opens (a model, or a checkpoint for a continued schedule)
     * @param continueSchedule whether {@code start} is a checkpoint whose optimizer and schedule continue
     * @param initialBest the dev evaluation of {@code start} the phase must beat (the final fine-tune's)
     * @param source a new batch source at its beginning
     * @param epochs epochs of the source this phase trains
     * @param microBatchesPerEpoch micro-batches of one epoch of the source
     * @param scheduleSteps optimizer steps of the learning-rate schedule
     * @param patience dev evaluations without improvement before stopping; 0 = never
     */
    record Phase(String name, Path dir, String key, TrainingSettings settings, ObjectiveSpec objective,
            Optional<PretrainedModel> teacher, Optional<StudentSampleScorer> scorer, Path start, boolean continueSchedule, Optional<DevPoint> initialBest,
            Supplier<BatchSource> source, int epochs, long microBatchesPerEpoch, long scheduleSteps,
            int evaluationsPerEpoch, int patience) {

        /** Optimizer steps done when the phase starts: those of its starting checkpoint, else 0. */
        long startStep() {
            return initialBest.map(DevPoint::step).orElse(0L);
        }
    }

    /**
     * Where the phase is evaluated and what its checkpoints record.
     *
     * @param dev the dev examples
     * @param evaluation metric, decoding and limits of the evaluator
     * @param prompt the task's prompt template: a decoder-only student trains on and is evaluated with its
     *     prompts (encoder-decoder students ignore it)
     * @param jobHash recorded in provenance.json
     */
    record Selection(List<EvalExample> dev, EvaluationSettings evaluation, PromptTemplate prompt, String jobHash) {}

    private final Phase phase;
    private final Selection selection;
    private final LocalProgress progress;
    private final TrainingListener listener;

    SelectedTraining(Phase phase, Selection selection, LocalProgress progress) {
        this(phase, selection, progress, TrainingListener.NONE);
    }

    SelectedTraining(Phase phase, Selection selection, LocalProgress progress, TrainingListener listener) {
        this.phase = phase;
        this.selection = selection;
        this.progress = progress;
        this.listener = listener;
    }

    /**
     * Runs (or resumes, or reuses) the phase.
     *
     * @param stopAfterSteps throw {@link LocalInterruption} once the phase stands at this many optimizer steps
     */
    PhaseOutcome run(long stopAfterSteps) {
        PhaseMarker marker = new PhaseMarker(phase.dir(), phase.key());
        Optional<JsonNode> done = marker.done();
        if (done.isPresent()) {
            PhaseOutcome outcome = PhaseMarker.read(done.get(), PhaseOutcome.class).asReused();
            progress.onNote(phase.name() + ": finished before (" + outcome.steps() + " steps), reused");
            return outcome;
        }
        long started = System.nanoTime();
        Path last = phase.dir().resolve(LAST);
        // a crash between the two moves of Directories.replace leaves the previous state aside: take it back
        Directories.recoverReplaced(last);
        Directories.recoverReplaced(phase.dir().resolve(BEST));
        Optional<History> resumed = History.read(last, phase.key());
        if (resumed.isEmpty()) {
            Directories.deleteTree(last);
            Directories.deleteTree(phase.dir().resolve(BEST));
        }
        History history = resumed.orElseGet(() -> new History(new ArrayList<>(), phase.initialBest().orElse(null),
                false));
        TrainingSettings settings = phase.settings();
        long offset = phase.startStep();
        long phaseSteps = Math.min(phase.scheduleSteps() - offset, EvaluationSchedule.totalSteps(phase.epochs(),
                phase.microBatchesPerEpoch(), settings.gradientAccumulation()));
        if (phaseSteps < 1) {
            throw new IllegalStateException(phase.name() + ": no step left in a schedule of " + phase.scheduleSteps()
                    + " steps after step " + offset);
        }
        List<EvaluationSchedule.Point> points = EvaluationSchedule.of(phase.epochs(), phase.microBatchesPerEpoch(),
                settings.gradientAccumulation(), phase.evaluationsPerEpoch(), phaseSteps).stream()
                .map(p -> new EvaluationSchedule.Point(p.step() + offset, p.epoch())).toList();
        long maxSteps = offset + phaseSteps;
        long stopAt = stopAfterSteps >= Long.MAX_VALUE - offset ? Long.MAX_VALUE : offset + stopAfterSteps;
        boolean stoppedEarly = false;
        BatchSource source = phase.source().get();
        try (StudentTraining run = open(resumed.isPresent(), last, source);
                StepLog log = new StepLog(phase.dir().resolve(StepLog.FILE), run.loop().steps())) {
            TrainingLoop loop = run.loop();
            if (resumed.isPresent()) {
                progress.onNote(phase.name() + ": resuming from " + last + " at step " + loop.steps());
            } else if (!phase.continueSchedule()) {
                calibrate(loop);
            }
            PhaseRate rate = new PhaseRate(phase.name(), "steps", maxSteps, loop.steps(), progress);
            IntervalStats interval = new IntervalStats();
            loop.addListener(report -> {
                log.append(report);
                rate.update(report.stepsDone(), String.format(Locale.ROOT, "loss %.4f", report.result().loss()));
                interval.add(report);
                listener.onStep(phase.name(), report);
            });
            loop.onCheckpoint((l, report) -> saveLast(run, history));
            SplitEvaluator evaluator = new SplitEvaluator(run.model(), run.directory().tokenizer(),
                    run.directory().generationConfig(), selection.prompt());
            for (EvaluationSchedule.Point point : points) {
                if (history.stoppedEarly) {
                    break; // stopped before the interruption, only the marker was missing
                }
                if (point.step() <= Math.max(offset, history.lastStep())) {
                    continue; // evaluated before the interruption
                }
                while (loop.steps() < point.step()) {
                    if (loop.steps() >= stopAt) {
                        throw new LocalInterruption(phase.name(), loop.steps() - offset);
                    }
                    if (loop.run(Math.min(point.step(), stopAt) - loop.steps()) == 0) {
                        break; // the source or the schedule ended early
                    }
                }
                if (loop.steps() <= Math.max(offset, history.lastStep())) {
                    break; // nothing trained since the last evaluation: the data ran out
                }
                DataPosition at = source.position();
                Map<String, Double> devMetrics;
                try (DecodingWorkers workers = DecodingWorkers.forCallingThread()) {
                    devMetrics = evaluator.evaluate(selection.dev(), selection.evaluation(), workers).metrics();
                }
                DevPoint evaluated = new DevPoint(loop.steps(), point.epoch(), at.epoch(), at.index(), devMetrics);
                boolean improved = history.offer(evaluated, selection.evaluation().selectionMetric());
                if (improved || !settings.selectOnDev()) {
                    saveBest(run, evaluated);
                }
                progress.onNote(String.format(Locale.ROOT, "%s: dev at step %d (epoch %d): %s%s", phase.name(),
                        evaluated.step(), evaluated.epoch(), summary(evaluated.metrics()), improved ? " (best)" : ""));
                if (phase.patience() > 0 && history.sinceBest() >= phase.patience()) {
                    stoppedEarly = true;
                    history.stoppedEarly = true;
                    progress.onNote(phase.name() + ": early stopping after " + history.sinceBest()
                            + " dev evaluations without improvement");
                }
                saveLast(run, history);
                listener.onEvaluation(new TrainingListener.Evaluation(phase.name(), evaluated, improved,
                        interval.meanLoss(), interval.tokensPerSecond(),
                        phase.dir().resolve(improved || !settings.selectOnDev() ? BEST : LAST)));
                interval.reset();
                if (stoppedEarly || loop.steps() < point.step()) {
                    break;
                }
            }
            stoppedEarly = history.stoppedEarly;
        }
        DevPoint best = settings.selectOnDev() ? history.best : history.evaluations.get(history.evaluations.size() - 1);
        boolean bestIsStart = phase.initialBest().isPresent() && best.equals(phase.initialBest().get());
        Path bestDir = bestIsStart ? phase.start() : phase.dir().resolve(BEST);
        PhaseOutcome outcome = new PhaseOutcome(phase.name(), history.lastStep(), best, bestDir.toString(),
                history.evaluations, stoppedEarly, (System.nanoTime() - started) / 1e9, false);
        marker.markDone(outcome);
        Directories.deleteTree(last); // only an unfinished phase resumes; best/ is what later phases read
        return outcome;
    }

    private StudentTraining open(boolean resumed, Path last, BatchSource source) {
        TrainingSettings settings = phase.settings();
        if (resumed) {
            StudentTraining run = StudentTraining.open(last, settings, phase.objective(), phase.teacher(), phase.scorer(), source,
                    phase.scheduleSteps(), selection.prompt());
            try {
                run.loop().restore(last);
                return run;
            } catch (IOException e) {
                run.close();
                throw new UncheckedIOException("cannot resume from " + last + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                run.close();
                throw e;
            }
        }
        if (phase.continueSchedule()) {
            return FinalFineTune.open(phase.start(), settings, source, phase.scheduleSteps(), selection.prompt());
        }
        return StudentTraining.open(phase.start(), settings, phase.objective(), phase.teacher(), phase.scorer(), source,
                phase.scheduleSteps(), selection.prompt());
    }

    /**
     * The paper's start of attention-relation KD: its loss scales sized on the phase's first N micro-batches
     * (a source of its own, so training still starts at the beginning) with student and teacher in inference
     * mode. A resumed phase restores them from its checkpoint instead (the student has trained since).
     */
    private void calibrate(TrainingLoop loop) {
        if (!(loop.objective() instanceof AttentionRelationObjective relations)) {
            return;
        }
        BatchSource first = phase.source().get();
        Iterable<TrainingBatch> batches = () -> new Iterator<>() {
            private Optional<List<TrainingExample>> next = first.next();

            @Override
            public boolean hasNext() {
                return next.isPresent();
            }

            @Override
            public TrainingBatch next() {
                TrainingBatch batch = loop.encode(next.orElseThrow(NoSuchElementException::new));
                next = first.next();
                return batch;
            }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            int used = relations.calibrate(manager, batches);
            progress.onNote(String.format(Locale.ROOT, "%s: loss scales from %d batches: %s", phase.name(), used,
                    Arrays.toString(relations.scales())));
        }
    }

    private void saveLast(StudentTraining run, History history) {
        Path last = phase.dir().resolve(LAST);
        Path written = phase.dir().resolve(LAST + ".tmp");
        Directories.deleteTree(written);
        run.save(written);
        history.write(written, phase.key());
        Directories.replace(written, last);
    }

    private void saveBest(StudentTraining run, DevPoint point) {
        Path best = phase.dir().resolve(BEST);
        Path written = phase.dir().resolve(BEST + ".tmp");
        Directories.deleteTree(written);
        run.save(written);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("job_hash", selection.jobHash());
        provenance.put("phase", phase.name());
        provenance.put("objective", run.loop().objectiveName());
        provenance.put("seed", phase.settings().seed());
        provenance.put("epoch", point.epoch());
        provenance.put("step", point.step());
        provenance.put("data_position", Map.of("epoch", point.dataEpoch(), "index", point.dataIndex(),
                "seed", phase.settings().seed()));
        provenance.put("selection_metric", selection.evaluation().selectionMetric());
        provenance.put("dev_metrics", point.metrics());
        provenance.put("started_from", phase.start().toString());
        try {
            PhaseMarker.json().writeValue(written.resolve(PROVENANCE).toFile(), provenance);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + written.resolve(PROVENANCE), e);
        }
        Directories.replace(written, best);
    }

    static String summary(Map<String, Double> metrics) {
        return String.format(Locale.ROOT, "BLEU %.2f, ROUGE %.2f, chrF %.2f, NLL %.3f",
                metrics.getOrDefault(MetricNames.BLEU, Double.NaN), metrics.getOrDefault(MetricNames.ROUGE, Double.NaN),
                metrics.getOrDefault(MetricNames.CHRF, Double.NaN), metrics.getOrDefault(MetricNames.NLL, Double.NaN));
    }

    /** Training loss and throughput of the steps since the last dev evaluation (for the listener). */
    private static final class IntervalStats {

        private double lossSum;
        private long steps;
        private long tokens;
        private double seconds;

        void add(StepReport report) {
            lossSum += report.result().loss();
            steps++;
            tokens += report.targetTokens();
            seconds += report.seconds();
        }

        double meanLoss() {
            return steps == 0 ? Double.NaN : lossSum / steps;
        }

        double tokensPerSecond() {
            return seconds > 0 ? tokens / seconds : Double.NaN;
        }

        void reset() {
            lossSum = 0;
            steps = 0;
            tokens = 0;
            seconds = 0;
        }
    }

    /** The dev evaluations so far and the best of them (or the phase's starting point). */
    static final class History {

        final List<DevPoint> evaluations;
        DevPoint best;
        boolean stoppedEarly;

        History(List<DevPoint> evaluations, DevPoint best, boolean stoppedEarly) {
            this.evaluations = evaluations;
            this.best = best;
            this.stoppedEarly = stoppedEarly;
        }

        long lastStep() {
            return evaluations.isEmpty() ? 0 : evaluations.get(evaluations.size() - 1).step();
        }

        /** Records an evaluation; true when it is better than the best so far (ties keep the earlier). */
        boolean offer(DevPoint point, String metric) {
            evaluations.add(point);
            double value = point.metrics().getOrDefault(metric, Double.NaN);
            boolean better = best == null || (MetricNames.lowerIsBetter(metric)
                    ? value < best.metrics().get(metric) : value > best.metrics().get(metric));
            if (better) {
                best = point;
            }
            return better;
        }

        /** Evaluations after the best one. */
        long sinceBest() {
            return evaluations.stream().filter(p -> p.step() > best.step()).count();
        }

        void write(Path directory, String key) {
            ObjectNode root = PhaseMarker.json().createObjectNode();
            root.put("key", key);
            root.set("evaluations", PhaseMarker.json().valueToTree(evaluations));
            root.set("best", PhaseMarker.json().valueToTree(best));
            root.put("stopped_early", stoppedEarly);
            try {
                PhaseMarker.json().writeValue(directory.resolve(SELECTION).toFile(), root);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + directory.resolve(SELECTION), e);
            }
        }

        /** The history saved with a resume state of this key; empty when there is none (or another key's). */
        static Optional<History> read(Path directory, String key) {
            Path file = directory.resolve(SELECTION);
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            try {
                JsonNode root = PhaseMarker.json().readTree(file.toFile());
                if (!key.equals(root.path("key").asText())) {
                    return Optional.empty();
                }
                List<DevPoint> evaluations = new ArrayList<>();
                for (JsonNode point : root.path("evaluations")) {
                    evaluations.add(PhaseMarker.read(point, DevPoint.class));
                }
                DevPoint best = root.path("best").isNull() || root.path("best").isMissingNode() ? null
                        : PhaseMarker.read(root.path("best"), DevPoint.class);
                return Optional.of(new History(evaluations, best, root.path("stopped_early").asBoolean()));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }
}
