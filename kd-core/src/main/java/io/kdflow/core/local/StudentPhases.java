package io.kdflow.core.local;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.eval.EvaluationSettings;
import io.kdflow.core.eval.MetricNames;
import io.kdflow.core.job.JobFile;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.job.ObjectiveSettings;
import io.kdflow.core.job.TaskSettings;
import io.kdflow.core.job.TrainingSettings;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.model.nn.DenormalFlush;
import io.kdflow.core.pt.EpochPlan;
import io.kdflow.core.train.BatchSource;
import io.kdflow.core.train.EpochBatches;
import io.kdflow.core.train.JobObjectives;
import io.kdflow.core.train.objective.StudentSampleScorer;
import io.kdflow.core.train.objective.TeacherForcedSampleScorer;
import io.kdflow.core.train.ObjectiveSpec;
import io.kdflow.core.train.TrainingExample;
import io.kdflow.core.wire.proto.EvaluationSpec;
import io.kdflow.core.wire.proto.JobSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The training part of a distillation, from a teacher directory on: student init, CE baseline, the PT records
 * ({@link PtSupply}), KD and the final fine-tune, each phase cached or resumed as {@link LocalDistillation}
 * describes. {@code distill --local} runs it between its teacher and test phases with the generated PT file;
 * the streaming trainer runs it with {@link StreamingPtRecords} and a {@link TrainingListener}.
 */
public final class StudentPhases {

    /**
     * The job's data as the phases read it, checked.
     *
     * @param task the job's task section
     * @param data its splits
     * @param evaluation the evaluator's settings (dev selection and test)
     * @param prompt the task's prompt template
     */
    public record JobData(TaskSettings task, LocalData data, EvaluationSettings evaluation, PromptTemplate prompt) {

        /**
         * Reads the task files of {@code spec}.
         *
         * @throws BadInputException without a task section or dev set, or for a bad file
         */
        public static JobData read(JobSpec spec, JobSettings settings) {
            TaskSettings task = settings.task().orElseThrow(() -> new BadInputException("JobSpec.task_spec: missing"
                    + " (distill --local reads its data from the job's task section)"));
            LocalData data = LocalData.read(task);
            if (data.dev().isEmpty()) {
                throw new BadInputException("JobSpec.task_spec.dev_uri: missing (distill --local selects its"
                        + " checkpoints on a dev set: set task.dev)");
            }
            return new JobData(task, data, evaluation(spec, settings, task, data),
                    PromptTemplate.of(task.prompt(), "JobSpec.task_spec.prompt"));
        }

        /** The evaluator's settings of this job: its evaluation section over the local runner's defaults. */
        private static EvaluationSettings evaluation(JobSpec spec, JobSettings settings, TaskSettings task,
                LocalData data) {
            EvaluationSpec e = spec.getEvaluation();
            TrainingSettings t = settings.training();
            return new EvaluationSettings(e.getNumBeams() > 0 ? e.getNumBeams() : 4,
                    e.getMaxNewTokens() > 0 ? e.getMaxNewTokens() : t.maxTargetTokens(), t.maxSourceTokens(),
                    t.maxTargetTokens(), e.hasBatchSize() && e.getBatchSize() > 0 ? e.getBatchSize() : 16,
                    e.getSelectionMetric().isEmpty() ? MetricNames.BLEU : e.getSelectionMetric(), data.dev().size(),
                    Math.max(1, data.test().size()), Path.of(task.dev().orElseThrow()), task.test().map(Path::of),
                    !e.hasMeasureLatency() || e.getMeasureLatency(), false);
        }
    }

    /**
     * What the phases produced.
     *
     * @param teacherKey the teacher's cache key (its files)
     * @param baseline the CE baseline
     * @param pts the generated PT file, when this process made one
     * @param kd the KD phase
     * @param fineTune the final fine-tune, when the job has one
     * @param seconds wall seconds per phase ({@code student_init}, {@code baseline}, {@code pseudo_targets},
     *     {@code kd}, {@code final_fine_tune}), 0 for a reused one
     */
    public record Outcome(String teacherKey, PhaseOutcome baseline, Optional<PtOutcome> pts, PhaseOutcome kd,
            Optional<PhaseOutcome> fineTune, Map<String, Double> seconds) {

        /** The distilled student: the final fine-tune's when there is one, else KD's. */
        public PhaseOutcome student() {
            return fineTune.orElse(kd);
        }
    }

    private final JobSettings settings;
    private final JobData job;
    private final LocalOptions options;
    private final Path runDir;
    private final LocalProgress progress;
    private final TrainingListener listener;
    private final String jobHash;
    private Optional<StudentSampleScorer> remoteScorer = Optional.empty();

    /**
     * @param runDir where the student's phases write ({@code student-init/}, {@code kd/}, {@code final-fine-tune/});
     *     the CE baseline is cached under {@code options.cacheDir()}
     */
    public StudentPhases(JobSpec spec, JobSettings settings, JobData job, LocalOptions options, Path runDir,
            LocalProgress progress, TrainingListener listener) {
        this.settings = settings;
        this.job = job;
        this.options = options;
        this.runDir = runDir;
        this.progress = progress;
        this.listener = listener;
        this.jobHash = JobFile.hash(spec);
    }

    /**
     * The phases with {@code scorer} as the teacher of remote Joint-Teaching's student samples (the trainer's
     * round trip to teacher-service). Without one, a job whose KD objective is remote (Joint-Teaching REMOTE with
     * {@code teacher_logits: records}) has its samples scored by the teacher loaded here, teacher-forced with the
     * job's top-k and quantization: what teacher-service computes, so {@code distill --local} runs such a job
     * as the pipeline does.
     */
    public StudentPhases withSampleScorer(StudentSampleScorer scorer) {
        this.remoteScorer = Optional.of(scorer);
        return this;
    }

    private Optional<StudentSampleScorer> sampleScorer(ObjectiveSpec objective, ModelDirectory teacher) {
        if (objective.teacher() != ObjectiveSpec.TeacherSource.REMOTE) {
            return Optional.empty();
        }
        return Optional.of(remoteScorer.orElseGet(() -> new TeacherForcedSampleScorer(teacher.model(),
                teacher.generationConfig(), settings.sampling().distributionTopK(), settings.sampling().quantization())));
    }

    /**
     * Checks what {@link #run} would reject before training anything (the KD objective against where the teacher's
     * distributions come from), so that a service rejects a bad job before its run starts.
     *
     * @throws BadInputException naming the job's field
     */
    public void check() {
        boolean wantsPts = settings.sampling().numPseudoTargets() > 0
                && !new PtPhase(settings, options.cacheDir(), progress).inputs(job.data()).isEmpty();
        JobObjectives.of(settings, teacherSource(wantsPts && settings.sampling().includeLabeled()));
    }

    /**
     * Runs every phase not finished before, from the teacher in {@code teacherDir}.
     *
     * @throws BadInputException for a job whose phases cannot run (a bad objective for its teacher source)
     * @throws LocalInterruption when {@link LocalOptions#stopAfterSteps} asks for it
     */
    public Outcome run(Path teacherDir, PtSupply supply) {
        DenormalFlush.ensureEnabled();
        LocalData data = job.data();
        Map<String, Double> seconds = new LinkedHashMap<>();
        String teacherKey = RunKey.teacher(teacherDir);

        long start = System.nanoTime();
        Path studentInit = studentInit(teacherDir, teacherKey);
        seconds.put("student_init", since(start));

        SelectedTraining.Selection selection = new SelectedTraining.Selection(data.dev(), job.evaluation(),
                job.prompt(), jobHash);
        start = System.nanoTime();
        PhaseOutcome baseline = baseline(studentInit, teacherKey, data, selection);
        seconds.put("baseline", baseline.reused() ? 0.0 : since(start));
        listener.onPhaseEnd(baseline);

        TrainingSettings training = settings.training();
        List<TrainingExample> gold = data.goldPairs();
        long goldMicroBatches = EpochBatches.batchesPerEpoch(gold.size(), training.batchSize());
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory teacher = ModelDirectory.load(teacherDir, manager)) {
            start = System.nanoTime();
            PtPhase ptPhase = new PtPhase(settings, options.cacheDir(), progress);
            boolean wantsPts = settings.sampling().numPseudoTargets() > 0 && !ptPhase.inputs(data).isEmpty();
            ObjectiveSpec objective = JobObjectives.of(settings,
                    teacherSource(wantsPts && settings.sampling().includeLabeled()));
            Optional<PtRecords> records = wantsPts ? Optional.of(supply.open(new PtSupply.Request(settings, data,
                    teacher, teacherKey, job.prompt(), options.cacheDir(), progress))) : Optional.empty();
            Optional<PtOutcome> pts = records.flatMap(PtRecords::outcome);
            seconds.put("pseudo_targets", pts.isPresent() && !pts.get().reused() ? since(start) : 0.0);
            EpochSource epochs = records.<EpochSource>map(r -> new EpochSource(r.epochSize(), r::epoch))
                    .orElseGet(() -> {
                        EpochPlan plan = KdEpochs.plan(List.of(), false, settings, data);
                        return new EpochSource(plan.epochSize(), plan::epoch);
                    });
            long kdMicroBatches = EpochBatches.batchesPerEpoch(epochs.size(), training.batchSize());
            long kdSteps = EvaluationSchedule.totalSteps(training.epochs(), kdMicroBatches,
                    training.gradientAccumulation());
            long fineTuneSteps = training.finalFinetuneEpochs() == 0 ? 0 : EvaluationSchedule.totalSteps(
                    training.finalFinetuneEpochs(), goldMicroBatches, training.gradientAccumulation());
            long schedule = Math.max(training.scheduleSteps(epochs.size()), kdSteps + fineTuneSteps);
            Map<String, Object> kdKey = new LinkedHashMap<>();
            kdKey.put("job", jobHash);
            kdKey.put("teacher", teacherKey);
            kdKey.put("data", data.identity());
            kdKey.put("pts", records.map(PtRecords::identity).orElse(""));
            start = System.nanoTime();
            PhaseOutcome kd = new SelectedTraining(new SelectedTraining.Phase("kd", runDir.resolve("kd"),
                    RunKey.of(kdKey), training, objective, objective.needsTeacher() ? Optional.of(teacher.model())
                    : Optional.empty(), sampleScorer(objective, teacher), studentInit, false, Optional.empty(),
                    () -> new EpochBatches(epochs.examples()::epoch, training.batchOrder(), training.batchSize(),
                            training.epochs(), training.seed()), training.epochs(), kdMicroBatches, schedule,
                    settings.selection().evaluationsPerEpoch(), training.earlyStoppingPatience()), selection,
                    progress, listener).run(options.stopAfter("kd"));
            seconds.put("kd", kd.reused() ? 0.0 : since(start));
            listener.onPhaseEnd(kd);

            Optional<PhaseOutcome> fineTune = Optional.empty();
            if (training.finalFinetuneEpochs() > 0) {
                start = System.nanoTime();
                Map<String, Object> key = new LinkedHashMap<>(kdKey);
                key.put("kd_best", kd.best());
                fineTune = Optional.of(new SelectedTraining(new SelectedTraining.Phase("final-fine-tune",
                        runDir.resolve("final-fine-tune"), RunKey.of(key), training, ObjectiveSpec.crossEntropy(),
                        Optional.empty(), Optional.empty(), Path.of(kd.bestDir()), true, Optional.of(kd.best()),
                        goldBatches(gold, training, training.finalFinetuneEpochs()), training.finalFinetuneEpochs(),
                        goldMicroBatches, schedule, settings.selection().evaluationsPerEpoch(),
                        training.earlyStoppingPatience()), selection, progress, listener)
                        .run(options.stopAfter("final-fine-tune")));
                seconds.put("final_fine_tune", fineTune.get().reused() ? 0.0 : since(start));
                listener.onPhaseEnd(fineTune.get());
            }
            return new Outcome(teacherKey, baseline, pts, kd, fineTune, seconds);
        }
    }

    /** KD's epochs: their size, known before the first, and their examples. */
    private record EpochSource(int size, Epochs examples) {}

    /** The examples of one epoch (may block until they are in). */
    private interface Epochs {
        List<TrainingExample> epoch(int epoch);
    }

    /**
     * Where KD reads the teacher: the teacher in the process (DENSE), or the PT records' sparse distributions
     * (RECORDS, the streaming trainer's source), which every training example then needs: GOLD records for the
     * gold pairs (written with the labeled inputs' PTs) and TEACHER records for the PTs.
     *
     * @param goldRecords whether the PT records hold GOLD records
     */
    private ObjectiveSpec.TeacherSource teacherSource(boolean goldRecords) {
        ObjectiveSettings objective = settings.objective();
        if (objective.teacherLogits() == ObjectiveSettings.TeacherLogits.DENSE) {
            return ObjectiveSpec.TeacherSource.IN_PROCESS;
        }
        if (objective.kind().usesTeacher() && !goldRecords) {
            throw new BadInputException("JobSpec.training.objective_settings.teacher_logits: RECORDS needs the"
                    + " teacher's distribution of every training example, which the PT records carry: set"
                    + " pseudo_targets.k >= 1 and pseudo_targets.labeled: true (the GOLD records then carry the gold"
                    + " targets' distributions), or use teacher_logits: dense");
        }
        return ObjectiveSpec.TeacherSource.RECORDS;
    }

    private Path studentInit(Path teacherDir, String teacherKey) {
        Path dir = runDir.resolve("student-init");
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("teacher", teacherKey);
        key.put("student", settings.student().toString());
        key.put("seed", settings.training().seed());
        PhaseMarker marker = new PhaseMarker(dir, RunKey.of(key));
        if (marker.done().isEmpty()) {
            progress.onNote("student init: " + settings.student().source() + " into " + dir);
            new StudentInit(settings.student(), settings.training().seed()).write(teacherDir, dir);
            marker.markDone(Map.of("dir", dir.toString()));
        }
        return dir;
    }

    private PhaseOutcome baseline(Path studentInit, String teacherKey, LocalData data,
            SelectedTraining.Selection selection) {
        TrainingSettings b = settings.baseline();
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("teacher", teacherKey);
        identity.put("student", settings.student().toString());
        identity.put("student_init", RunKey.directory(studentInit));
        identity.put("baseline", b.toString());
        if (!selection.prompt().template().isEmpty()) {
            identity.put("prompt", selection.prompt().template()); // baselines cached without one keep their key
        }
        identity.put("data", data.identity());
        identity.put("evaluation", selection.evaluation().toString());
        identity.put("evaluations_per_epoch", settings.selection().evaluationsPerEpoch());
        String key = RunKey.of(identity);
        List<TrainingExample> gold = data.goldPairs();
        long micro = EpochBatches.batchesPerEpoch(gold.size(), b.batchSize());
        long schedule = Math.max(b.scheduleSteps(gold.size()),
                EvaluationSchedule.totalSteps(b.epochs(), micro, b.gradientAccumulation()));
        return new SelectedTraining(new SelectedTraining.Phase("baseline",
                options.cacheDir().resolve("baselines").resolve(key), key, b, ObjectiveSpec.crossEntropy(),
                Optional.empty(), Optional.empty(), studentInit, false, Optional.empty(), goldBatches(gold, b, b.epochs()), b.epochs(),
                micro, schedule, settings.selection().evaluationsPerEpoch(), b.earlyStoppingPatience()), selection,
                progress, listener).run(options.stopAfter("baseline"));
    }

    private static Supplier<BatchSource> goldBatches(List<TrainingExample> gold, TrainingSettings t, int epochs) {
        return () -> new EpochBatches(epoch -> gold, t.batchOrder(), t.batchSize(), epochs, t.seed());
    }

    private static double since(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
