package io.kdflow.core.local;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.eval.EvaluationSettings;
import io.kdflow.core.eval.GapClosed;
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
import io.kdflow.core.train.ObjectiveSpec;
import io.kdflow.core.train.TrainingExample;
import io.kdflow.core.wire.proto.EvaluationSpec;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * {@code distill --local}: one job file run in this process, phase by phase, each reported to a
 * {@link LocalProgress}:
 * <ol>
 *   <li>teacher: the job's directory, or trained / fine-tuned and cached ({@link TeacherPhase});</li>
 *   <li>student init: the pruned teacher, a new model of a config, or a directory ({@link StudentInit});</li>
 *   <li>pseudo-targets: generated once per key into a cached PT file ({@link PtPhase}), when K &gt; 0;</li>
 *   <li>CE baseline: cross-entropy on gold from the same student init, cached per key under
 *       {@code <cache>/baselines/} so that jobs on one teacher share it;</li>
 *   <li>KD: the job's objective over the epoch plan (epoch e: PT e mod K of every input plus all gold), dev
 *       selection and early stopping ({@link SelectedTraining}); the teacher's distributions from the teacher in
 *       the process ({@code teacher_logits: dense}) or from the PT records ({@code records}, the streaming
 *       trainer's source); attention-relation KD sizes its loss scales on the phase's first batches first;</li>
 *   <li>final fine-tune: cross-entropy on gold from the best KD checkpoint, continuing its schedule, selected on
 *       dev against that checkpoint;</li>
 *   <li>test: copy baseline, teacher, CE baseline and KD student ({@link TestPhase}); the gap closed.</li>
 * </ol>
 * <p>A decoder-only (GPT-2) teacher and student see the task's prompt template in every phase (PTs continue it,
 * training puts it before the target outside the loss, dev and test decode its continuation); the copy baseline
 * is the source itself either way.
 * <p>A finished phase leaves a marker with its key; a rerun skips it, and an interrupted training phase resumes
 * from its last checkpoint. Run directory: {@code student-init/}, {@code kd/}, {@code final-fine-tune/},
 * {@code test/} and {@code results.json}.
 */
public final class LocalDistillation {

    static final String RESULTS = "results.json";

    private final JobSpec spec;
    private final JobSettings settings;
    private final LocalOptions options;
    private final LocalProgress progress;
    private final Path runDir;
    private final String jobHash;

    /** @throws BadInputException when the job does not resolve */
    public LocalDistillation(JobSpec spec, LocalOptions options, LocalProgress progress) {
        this.spec = spec;
        this.settings = JobSettings.resolve(spec);
        this.options = options;
        this.progress = progress;
        this.runDir = options.runDir().orElseGet(() -> Path.of(settings.outputDir()).resolve(settings.jobId()));
        this.jobHash = JobFile.hash(spec);
    }

    public Path runDir() {
        return runDir;
    }

    public JobSettings settings() {
        return settings;
    }

    /**
     * Runs every phase not finished before and writes {@code results.json}.
     *
     * @throws BadInputException for a job that cannot run locally (no dev set, no teacher, a bad directory)
     * @throws LocalInterruption when {@link LocalOptions#stopAfterSteps} asks for it
     */
    public LocalResult run() {
        DenormalFlush.ensureEnabled();
        TaskSettings task = settings.task().orElseThrow(() -> new BadInputException("JobSpec.task_spec: missing"
                + " (distill --local reads its data from the job's task section)"));
        LocalData data = LocalData.read(task);
        if (data.dev().isEmpty()) {
            throw new BadInputException("JobSpec.task_spec.dev_uri: missing (distill --local selects its"
                    + " checkpoints on a dev set: set task.dev)");
        }
        EvaluationSettings evaluation = evaluation(task, data);
        PromptTemplate prompt = PromptTemplate.of(task.prompt(), "JobSpec.task_spec.prompt");
        Map<String, Double> seconds = new LinkedHashMap<>();
        progress.onNote("run directory " + runDir + ", cache " + options.cacheDir());

        long start = System.nanoTime();
        Path teacherDir = new TeacherPhase(settings, evaluation.numBeams(), options.cacheDir().resolve("teachers"),
                progress,
                UnaryOperator.identity()).directory(data);
        String teacherKey = RunKey.teacher(teacherDir);
        seconds.put("teacher", since(start));

        start = System.nanoTime();
        Path studentInit = studentInit(teacherDir, teacherKey);
        seconds.put("student_init", since(start));

        SelectedTraining.Selection selection = new SelectedTraining.Selection(data.dev(), evaluation, prompt,
                jobHash);
        start = System.nanoTime();
        PhaseOutcome baseline = baseline(studentInit, teacherKey, data, selection);
        seconds.put("baseline", baseline.reused() ? 0.0 : since(start));

        Optional<PtOutcome> pts;
        PhaseOutcome kd;
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
            pts = wantsPts ? Optional.of(ptPhase.run(teacher, teacherKey, data, prompt)) : Optional.empty();
            seconds.put("pseudo_targets", pts.isPresent() && !pts.get().reused() ? since(start) : 0.0);
            EpochPlan plan = plan(pts, data);
            long kdMicroBatches = EpochBatches.batchesPerEpoch(plan.epochSize(), training.batchSize());
            long kdSteps = EvaluationSchedule.totalSteps(training.epochs(), kdMicroBatches,
                    training.gradientAccumulation());
            long fineTuneSteps = training.finalFinetuneEpochs() == 0 ? 0 : EvaluationSchedule.totalSteps(
                    training.finalFinetuneEpochs(), goldMicroBatches, training.gradientAccumulation());
            long schedule = Math.max(training.scheduleSteps(plan.epochSize()), kdSteps + fineTuneSteps);
            Map<String, Object> kdKey = new LinkedHashMap<>();
            kdKey.put("job", jobHash);
            kdKey.put("teacher", teacherKey);
            kdKey.put("data", data.identity());
            kdKey.put("pts", pts.map(PtOutcome::file).orElse(""));
            start = System.nanoTime();
            kd = new SelectedTraining(new SelectedTraining.Phase("kd", runDir.resolve("kd"), RunKey.of(kdKey),
                    training, objective, objective.needsTeacher() ? Optional.of(teacher.model()) : Optional.empty(),
                    studentInit, false, Optional.empty(), () -> plan.batches(training.batchSize(), training.epochs()),
                    training.epochs(), kdMicroBatches, schedule, settings.selection().evaluationsPerEpoch(),
                    training.earlyStoppingPatience()), selection, progress).run(options.stopAfter("kd"));
            seconds.put("kd", kd.reused() ? 0.0 : since(start));

            Optional<PhaseOutcome> fineTune = Optional.empty();
            if (training.finalFinetuneEpochs() > 0) {
                start = System.nanoTime();
                Map<String, Object> key = new LinkedHashMap<>(kdKey);
                key.put("kd_best", kd.best());
                fineTune = Optional.of(new SelectedTraining(new SelectedTraining.Phase("final-fine-tune",
                        runDir.resolve("final-fine-tune"), RunKey.of(key), training, ObjectiveSpec.crossEntropy(),
                        Optional.empty(), Path.of(kd.bestDir()), true, Optional.of(kd.best()),
                        goldBatches(gold, training, training.finalFinetuneEpochs()), training.finalFinetuneEpochs(),
                        goldMicroBatches, schedule, settings.selection().evaluationsPerEpoch(),
                        training.earlyStoppingPatience()), selection, progress)
                        .run(options.stopAfter("final-fine-tune")));
                seconds.put("final_fine_tune", fineTune.get().reused() ? 0.0 : since(start));
            }
            PhaseOutcome student = fineTune.orElse(kd);

            start = System.nanoTime();
            List<RoleResult> roles = test(teacherDir, teacherKey, baseline, student, data, evaluation, prompt);
            seconds.put("test", since(start));
            Map<String, Double> gapTest = gap(roles, false);
            Map<String, Double> gapDev = gap(roles, true);
            LocalResult result = new LocalResult(settings.jobId(), jobHash, runDir.toString(), teacherDir.toString(),
                    evaluation.selectionMetric(), pts, seconds, baseline, kd, fineTune, roles, gapTest, gapDev);
            ResultsFile.write(result, runDir.resolve(RESULTS));
            return result;
        }
    }

    /**
     * Where KD reads the teacher: the teacher in the process (DENSE), or the PT records' sparse distributions
     * (RECORDS, the streaming trainer's source), which every training example then needs: GOLD records for the
     * gold pairs (written with the labeled inputs' PTs) and TEACHER records for the PTs.
     *
     * @param goldRecords whether the PT file will hold GOLD records
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
                Optional.empty(), studentInit, false, Optional.empty(), goldBatches(gold, b, b.epochs()), b.epochs(),
                micro, schedule, settings.selection().evaluationsPerEpoch(), b.earlyStoppingPatience()), selection,
                progress).run(options.stopAfter("baseline"));
    }

    private static Supplier<BatchSource> goldBatches(List<TrainingExample> gold,
            TrainingSettings t, int epochs) {
        return () -> new EpochBatches(epoch -> gold, t.batchSize(), epochs, t.seed());
    }

    /** Epoch e: all gold pairs plus PT e mod K of every input (gold only without PTs). */
    private EpochPlan plan(Optional<PtOutcome> pts, LocalData data) {
        List<PseudoTarget> records = new ArrayList<>();
        int k = 0;
        if (pts.isPresent()) {
            records.addAll(PtPhase.records(Path.of(pts.get().file())));
            k = settings.sampling().numPseudoTargets();
        }
        if (pts.isEmpty() || !settings.sampling().includeLabeled()) {
            // no GOLD records in the PT file: the gold pairs as text (the student's tokenizer encodes them)
            data.goldPairs().forEach(pair -> records.add(pair.record()));
        }
        return EpochPlan.of(records, new EpochPlan.Options(k, k == 0 ? EpochPlan.Content.GOLD_ONLY
                : EpochPlan.Content.GOLD_AND_PTS, settings.sampling().includeUnlabeled(), settings.training().seed()));
    }

    private List<RoleResult> test(Path teacherDir, String teacherKey, PhaseOutcome baseline, PhaseOutcome student,
            LocalData data, EvaluationSettings evaluation, PromptTemplate prompt) {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("job", jobHash);
        identity.put("teacher", teacherKey);
        identity.put("baseline", baseline.best());
        identity.put("student", student.best());
        identity.put("student_dir", student.bestDir());
        PhaseMarker marker = new PhaseMarker(runDir.resolve("test"), RunKey.of(identity));
        if (marker.done().isPresent()) {
            progress.onNote("test: finished before, reused");
            List<RoleResult> roles = new ArrayList<>();
            marker.done().get().forEach(node -> roles.add(PhaseMarker.read(node, RoleResult.class)));
            return roles;
        }
        boolean latency = !spec.getEvaluation().hasMeasureLatency() || spec.getEvaluation().getMeasureLatency();
        TestPhase phase = new TestPhase(evaluation, prompt, latency ? Optional.of(options.latency())
                : Optional.empty());
        PhaseRate rate = new PhaseRate("test", "models", 4, 0, progress);
        List<RoleResult> roles = new ArrayList<>();
        roles.add(phase.evaluate(Role.TEACHER, teacherDir, 0, Optional.empty(), data.dev(), data.test()));
        rate.update(1, "teacher");
        roles.add(phase.evaluate(Role.CE_BASELINE, Path.of(baseline.bestDir()), baseline.best().step(),
                Optional.of(baseline.best().metrics()), data.dev(), data.test()));
        rate.update(2, "CE baseline");
        roles.add(phase.evaluate(Role.KD_STUDENT, Path.of(student.bestDir()), student.best().step(),
                Optional.of(student.best().metrics()), data.dev(), data.test()));
        rate.update(3, "KD student");
        roles = new ArrayList<>(phase.withLatency(roles));
        rate.update(4, "latency, the models taking turns");
        roles.add(0, new RoleResult(Role.COPY_BASELINE, "", 0, TestPhase.copyBaseline(data.dev()),
                TestPhase.copyBaseline(data.test())));
        marker.markDone(roles);
        return roles;
    }

    private static Map<String, Double> gap(List<RoleResult> roles, boolean dev) {
        Map<Role, Map<String, Double>> metrics = new LinkedHashMap<>();
        roles.forEach(r -> metrics.put(r.role(), dev ? r.dev() : r.test()));
        return GapClosed.of(metrics.get(Role.KD_STUDENT), metrics.get(Role.TEACHER), metrics.get(Role.CE_BASELINE),
                MetricNames.GAP_METRICS);
    }

    /** The evaluator's settings of this job: its evaluation section over the local runner's defaults. */
    private EvaluationSettings evaluation(TaskSettings task, LocalData data) {
        EvaluationSpec e = spec.getEvaluation();
        TrainingSettings t = settings.training();
        return new EvaluationSettings(e.getNumBeams() > 0 ? e.getNumBeams() : 4,
                e.getMaxNewTokens() > 0 ? e.getMaxNewTokens() : t.maxTargetTokens(), t.maxSourceTokens(),
                t.maxTargetTokens(), e.hasBatchSize() && e.getBatchSize() > 0 ? e.getBatchSize() : 16,
                e.getSelectionMetric().isEmpty() ? MetricNames.BLEU : e.getSelectionMetric(), data.dev().size(),
                Math.max(1, data.test().size()), Path.of(task.dev().orElseThrow()), task.test().map(Path::of),
                !e.hasMeasureLatency() || e.getMeasureLatency(), false);
    }

    private static double since(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
