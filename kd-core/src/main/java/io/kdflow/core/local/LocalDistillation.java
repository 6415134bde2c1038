package io.kdflow.core.local;

import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.eval.CopyBaseline;
import io.kdflow.core.eval.EvaluationSettings;
import io.kdflow.core.eval.GapClosed;
import io.kdflow.core.eval.MetricNames;
import io.kdflow.core.job.JobFile;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.model.nn.DenormalFlush;
import io.kdflow.core.wire.proto.JobSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *   <li>test: copy baseline, teacher, CE baseline and KD student ({@link TestPhase}); the gap closed. The
 *       teacher's and the cached CE baseline's scores are cached per model, data and decoding
 *       ({@code <cache>/scores/}), so jobs that share them score them once.</li>
 * </ol>
 * <p>A decoder-only (GPT-2) teacher and student see the task's prompt template in every phase (PTs continue it,
 * training puts it before the target outside the loss, dev and test decode its continuation); the copy baseline
 * is the source itself either way.
 * <p>A finished phase leaves a marker with its key; a rerun skips it, and an interrupted training phase resumes
 * from its last checkpoint. Run directory: {@code student-init/}, {@code kd/}, {@code final-fine-tune/},
 * {@code test/} and {@code results.json}.
 * <p>Phases 2 to 6 are {@link StudentPhases}, which the streaming trainer runs on its PT stream
 * ({@link StreamingPtRecords}); here they read the generated PT file ({@link PtSupply#generated()}).
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
        StudentPhases.JobData job = StudentPhases.JobData.read(spec, settings);
        LocalData data = job.data();
        Map<String, Double> seconds = new LinkedHashMap<>();
        progress.onNote("run directory " + runDir + ", cache " + options.cacheDir());

        long start = System.nanoTime();
        Path teacherDir = new TeacherPhase(settings, job.evaluation().numBeams(), options.cacheDir().resolve("teachers"),
                progress,
                UnaryOperator.identity()).directory(data);
        seconds.put("teacher", since(start));

        StudentPhases.Outcome phases = new StudentPhases(spec, settings, job, options, runDir, progress,
                TrainingListener.NONE).run(teacherDir, PtSupply.generated());
        seconds.putAll(phases.seconds());
        String teacherKey = phases.teacherKey();
        PhaseOutcome baseline = phases.baseline();
        PhaseOutcome student = phases.student();

        start = System.nanoTime();
        List<RoleResult> roles = test(teacherDir, teacherKey, baseline, student, data, job.evaluation(), job.prompt());
        seconds.put("test", since(start));
        Map<String, Double> gapTest = gap(roles, false);
        Map<String, Double> gapDev = gap(roles, true);
        LocalResult result = new LocalResult(settings.jobId(), jobHash, runDir.toString(), teacherDir.toString(),
                job.evaluation().selectionMetric(), phases.pts(), seconds, baseline, phases.kd(), phases.fineTune(),
                roles, gapTest, gapDev);
        ResultsFile.write(result, runDir.resolve(RESULTS));
        return result;
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
        Map<String, Object> scoring = scoringIdentity(data, evaluation, prompt);
        roles.add(cachedScores(Map.of("teacher", teacherKey), scoring, () -> phase.evaluate(Role.TEACHER, teacherDir, 0,
                Optional.empty(), data.dev(), data.test())));
        rate.update(1, "teacher");
        roles.add(cachedScores(Map.of("baseline_dir", baseline.bestDir(), "baseline", baseline.best()), scoring,
                () -> phase.evaluate(Role.CE_BASELINE, Path.of(baseline.bestDir()), baseline.best().step(),
                        Optional.of(baseline.best().metrics()), data.dev(), data.test())));
        rate.update(2, "CE baseline");
        roles.add(phase.evaluate(Role.KD_STUDENT, Path.of(student.bestDir()), student.best().step(),
                Optional.of(student.best().metrics()), data.dev(), data.test()));
        rate.update(3, "KD student");
        roles = new ArrayList<>(phase.withLatency(roles));
        rate.update(4, "latency, the models taking turns");
        roles.add(0, new RoleResult(Role.COPY_BASELINE, "", 0, CopyBaseline.metrics(data.dev()),
                CopyBaseline.metrics(data.test())));
        marker.markDone(roles);
        return roles;
    }

    /** What decides a model's scores besides the model: the dev and test examples, the decoding, the prompt. */
    private static Map<String, Object> scoringIdentity(LocalData data, EvaluationSettings evaluation,
            PromptTemplate prompt) {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("dev", data.dev().stream().map(Object::toString).toList());
        identity.put("test", data.test().stream().map(Object::toString).toList());
        identity.put("evaluation", evaluation.toString());
        identity.put("prompt", prompt.template());
        return identity;
    }

    /**
     * The teacher's and the cached CE baseline's scores are the same in every job that shares them and the data:
     * computed once under {@code <cache>/scores/<key>/} (jobs of one study differ only in their KD students).
     */
    private RoleResult cachedScores(Map<String, Object> model, Map<String, Object> scoring,
            java.util.function.Supplier<RoleResult> evaluate) {
        Map<String, Object> identity = new LinkedHashMap<>(scoring);
        identity.putAll(model);
        String key = RunKey.of(identity);
        PhaseMarker marker = new PhaseMarker(options.cacheDir().resolve("scores").resolve(key), key);
        if (marker.done().isPresent()) {
            return PhaseMarker.read(marker.done().get(), RoleResult.class);
        }
        RoleResult result = evaluate.get();
        marker.markDone(result);
        return result;
    }

    private static Map<String, Double> gap(List<RoleResult> roles, boolean dev) {
        Map<Role, Map<String, Double>> metrics = new LinkedHashMap<>();
        roles.forEach(r -> metrics.put(r.role(), dev ? r.dev() : r.test()));
        return GapClosed.of(metrics.get(Role.KD_STUDENT), metrics.get(Role.TEACHER), metrics.get(Role.CE_BASELINE),
                MetricNames.GAP_METRICS);
    }

    private static double since(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
