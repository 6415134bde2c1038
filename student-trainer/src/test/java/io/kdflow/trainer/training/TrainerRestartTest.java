package io.kdflow.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.train.objective.TeacherForcedSampleScorer;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.kdflow.kafka.testing.SharedKafkaBroker;
import io.kdflow.trainer.jointteaching.RemoteStudentScorer;
import io.kdflow.trainer.jointteaching.SampleResponder;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Function;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.job.JobFile;
import io.kdflow.core.job.JobLimits;
import io.kdflow.core.local.LocalDistillation;
import io.kdflow.core.local.LocalInterruption;
import io.kdflow.core.local.LocalOptions;
import io.kdflow.core.local.LocalProgress;
import io.kdflow.core.local.LocalResult;
import io.kdflow.core.local.StepLog;
import io.kdflow.core.local.TinyJob;
import io.kdflow.core.pt.PseudoTargetFile;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.trainer.metrics.TrainerGauges;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's state across a crash, without the Quarkus app: the components that own it ({@link TrainerJobs}
 * with its {@link TargetStore}, {@link JobAccounting} and the run directory of kd-core's phases) are built twice
 * over the same directories, as a restarted process builds them. The first "process" stops inside KD between
 * checkpoints (kd-core's interruption hook: what kill -9 leaves), and the test adds what only a real kill leaves
 * (a torn step-log line, the resume state moved aside mid-replace). The second gets the uncommitted PT records
 * again plus the rest, as the consumer group redelivers them. Reference: {@code distill --local} of the same job,
 * uninterrupted.
 */
class TrainerRestartTest {

    @TempDir
    static Path temp;

    private static int threadsBefore;
    private static JobSpec spec;
    private static LocalResult local;
    private static List<PseudoTarget> records;

    @BeforeAll
    static void runLocally() {
        Engine.getInstance();
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        Path folder = TinyJob.prepare(temp.resolve("job"));
        JobSpec parsed = JobFile.parse("tiny.yaml", TinyJob.yaml(TinyJob.OPTIMIZATION, ""), folder, "tiny");
        spec = parsed.toBuilder().setTask("style").setPseudoTargets(parsed.getPseudoTargets().toBuilder()
                .setQuantization(TeacherDistribution.Quantization.FP16)).build();
        local = new LocalDistillation(spec, LocalOptions.of(temp.resolve("local-cache"))
                .withRunDir(temp.resolve("local")), LocalProgress.NONE).run();
        records = PseudoTargetFile.readAll(Path.of(local.pseudoTargets().orElseThrow().file()));
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threadsBefore);
    }

    @Test
    void shouldResumeAfterACrashInKdWithEveryPtOnceAndTheLossesOfAnUninterruptedRun() throws Exception {
        Path store = Files.createDirectories(temp.resolve("store"));
        Path data = temp.resolve("trainer-data");
        Path teacher = HfTiny.copyModel(HfTiny.BART, Files.createDirectories(store.resolve("teachers/t")));
        CheckpointEvent ready = teacherReady(new ModelStore(store).uriOf(teacher).toString());
        List<PseudoTarget> epochZero = records.stream().filter(r -> r.getKind() != PseudoTarget.Kind.TEACHER
                || r.getPtIndex() == 0).toList();
        List<PseudoTarget> later = records.stream().filter(r -> !epochZero.contains(r)).toList();
        assertThat(later).as("PT 1 of every input").isNotEmpty();

        // Process 1: every record KD's first epoch needs (one delivered twice), then a crash at KD step 5.
        Process first = new Process(store, data);
        first.jobs.stoppingAfter("kd", 5);
        first.jobs.acceptSpec(spec);
        first.jobs.acceptCheckpoint(ready);
        long offset = 0;
        for (PseudoTarget record : epochZero) {
            assertThat(first.jobs.acceptTarget(record, Topics.PSEUDO_TARGETS, 0, offset++)).isTrue();
        }
        assertThat(first.jobs.acceptTarget(epochZero.get(2), Topics.PSEUDO_TARGETS, 0, offset++)).isFalse();
        assertThat(first.failure.get(10, TimeUnit.MINUTES)).isInstanceOf(LocalInterruption.class)
                .hasMessage("stopped kd after 5 optimizer steps, as asked");
        first.jobs.close();
        assertThat(first.counter(TrainerGauges.PT_RECORDS_DUPLICATE)).isEqualTo(1.0);

        Path kd = store.resolve("tiny/run/kd");
        assertThat(StepLog.losses(kd.resolve(StepLog.FILE))).hasSize(5);
        // what a kill -9 adds: the next step's line torn mid-append, the resume state moved aside mid-replace
        Files.writeString(kd.resolve(StepLog.FILE), "{\"step\":5,\"loss\":0.12", StandardOpenOption.APPEND);
        Files.move(kd.resolve("last"), kd.resolve("last.old"));

        // Process 2: the consumer redelivers the uncommitted tail of the first copies, then the rest arrives.
        Process second = new Process(store, data);
        second.jobs.acceptSpec(spec);
        second.jobs.acceptCheckpoint(ready);
        List<PseudoTarget> redelivered = epochZero.subList(epochZero.size() - 3, epochZero.size());
        for (PseudoTarget record : redelivered) {
            assertThat(second.jobs.acceptTarget(record, Topics.PSEUDO_TARGETS, 0, offset++)).isFalse();
        }
        for (PseudoTarget record : later) {
            assertThat(second.jobs.acceptTarget(record, Topics.PSEUDO_TARGETS, 0, offset++)).isTrue();
        }
        CheckpointEvent student = second.finalStudent.get(10, TimeUnit.MINUTES);
        second.jobs.close();

        for (String phase : List.of("kd", "final-fine-tune")) {
            assertThat(Files.readAllLines(store.resolve("tiny/run").resolve(phase).resolve(StepLog.FILE)))
                    .as(phase + ": one line per step, each equal to the uninterrupted run's")
                    .isEqualTo(Files.readAllLines(temp.resolve("local").resolve(phase).resolve(StepLog.FILE)));
        }
        assertThat(student.getStep()).isEqualTo(local.finalFineTune().orElseThrow().best().step());
        assertThat(student.getMetricsMap()).containsAllEntriesOf(Map.of(
                JobAccounting.PT_RECORDS_TRAINED, (double) records.size(),
                JobAccounting.PT_RECORDS_DUPLICATE, 4.0,
                JobAccounting.STUDENT_SCORES_RECEIVED, 0.0,
                JobAccounting.STUDENT_SCORES_DUPLICATE, 0.0,
                JobAccounting.TRAINER_RESUMES, 1.0))
                .containsEntry("dev_nll", local.finalFineTune().orElseThrow().best().metrics().get("nll"));
        assertThat(PseudoTargetFile.readAll(data.resolve("tiny/targets.pb"))).as("the training set")
                .hasSize(records.size()).containsExactlyInAnyOrderElementsOf(records);
        assertThat(second.counter(TrainerGauges.PT_RECORDS_DUPLICATE)).isEqualTo(3.0);
        assertThat(second.counter(TrainerGauges.RESUMES)).isEqualTo(1.0);
        assertThat(second.counter(TrainerGauges.STUDENT_SCORES_DUPLICATE)).isEqualTo(0.0);

        // Process 3: a restart after the job finished reruns nothing and is no resume.
        Process third = new Process(store, data);
        third.jobs.acceptSpec(spec);
        third.jobs.acceptCheckpoint(ready);
        CheckpointEvent again = third.finalStudent.get(10, TimeUnit.MINUTES);
        third.jobs.close();
        assertThat(again.getMetricsMap()).containsEntry(JobAccounting.TRAINER_RESUMES, 1.0)
                .containsEntry(JobAccounting.PT_RECORDS_TRAINED, (double) records.size());
        assertThat(again.getUri()).isEqualTo(student.getUri());
        assertThat(third.counter(TrainerGauges.RESUMES)).isEqualTo(0.0);
    }

    @Test
    void shouldResumeAfterACrashInTheBaselineToItsUninterruptedLosses() throws Exception {
        Path store = Files.createDirectories(temp.resolve("store-baseline"));
        Path data = temp.resolve("trainer-data-baseline");
        Path teacher = HfTiny.copyModel(HfTiny.BART, Files.createDirectories(store.resolve("teachers/t")));
        CheckpointEvent ready = teacherReady(new ModelStore(store).uriOf(teacher).toString());
        Path localBaseline = Path.of(local.baseline().bestDir()).getParent();
        int baselineSteps = StepLog.losses(localBaseline.resolve(StepLog.FILE)).size();
        assertThat(baselineSteps).as("a baseline long enough to stop inside").isGreaterThan(2);

        Process first = new Process(store, data);
        first.jobs.stoppingAfter("baseline", baselineSteps - 1);
        first.jobs.acceptSpec(spec);
        first.jobs.acceptCheckpoint(ready);
        long offset = 0;
        for (PseudoTarget record : records) {
            first.jobs.acceptTarget(record, Topics.PSEUDO_TARGETS, 0, offset++);
        }
        assertThat(first.failure.get(10, TimeUnit.MINUTES)).isInstanceOf(LocalInterruption.class)
                .hasMessage("stopped baseline after " + (baselineSteps - 1) + " optimizer steps, as asked");
        first.jobs.close();
        assertThat(first.published).as("no baseline announced before it finished")
                .noneMatch(e -> e.getRole() == ModelRole.STUDENT_BASELINE);

        Process second = new Process(store, data);
        second.jobs.acceptSpec(spec);
        second.jobs.acceptCheckpoint(ready);
        CheckpointEvent student = second.finalStudent.get(10, TimeUnit.MINUTES);
        second.jobs.close();

        Path baselineDir;
        try (var dirs = Files.list(store.resolve("cache/baselines"))) {
            baselineDir = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertThat(Files.readAllLines(baselineDir.resolve(StepLog.FILE))).as("baseline steps")
                .isEqualTo(Files.readAllLines(localBaseline.resolve(StepLog.FILE)));
        for (String phase : List.of("kd", "final-fine-tune")) {
            assertThat(Files.readAllLines(store.resolve("tiny/run").resolve(phase).resolve(StepLog.FILE)))
                    .as(phase).isEqualTo(Files.readAllLines(temp.resolve("local").resolve(phase)
                            .resolve(StepLog.FILE)));
        }
        assertThat(second.published.stream().filter(e -> e.getRole() == ModelRole.STUDENT_BASELINE))
                .singleElement().satisfies(e -> assertThat(e.getStep()).isEqualTo(local.baseline().best().step()));
        assertThat(student.getMetricsMap()).containsEntry(JobAccounting.TRAINER_RESUMES, 1.0)
                .containsEntry(JobAccounting.PT_RECORDS_TRAINED, (double) records.size())
                .containsEntry(JobAccounting.PT_RECORDS_DUPLICATE, 0.0);
    }

    @Test
    void shouldResumeRemoteJointTeachingAfterACrashWithLostAndRepeatedScoresToTheUninterruptedLosses()
            throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            kafka.createTopics(2, Topics.STUDENT_SAMPLES, Topics.STUDENT_SCORES, Topics.DEAD_LETTERS);
        }
        String yaml = TinyJob.yaml(TinyJob.OPTIMIZATION, "joint_teaching:\n  mode: remote\n")
                .replace("type: logit_kd", "type: logit_kd\n  teacher_logits: records");
        try (NDManager manager = NDManager.newBaseManager()) {
            Path teacherFiles = HfTiny.copyModel(HfTiny.BART, temp.resolve("remote-teacher"));
            Seq2SeqModel model = PretrainedModels.loadSeq2Seq(teacherFiles, manager);
            JobSettings settings = JobSettings.resolve(remoteSpec(yaml, "remote-a"));
            TeacherForcedSampleScorer teacherService = new TeacherForcedSampleScorer(model,
                    GenerationConfig.fromModelConfig(model.config()), settings.sampling().distributionTopK(),
                    settings.sampling().quantization());

            // uninterrupted: a teacher-service that answers each sample once
            Path uninterrupted;
            try (SampleResponder responder = new SampleResponder(bootstrap, "remote-a", teacherService)) {
                uninterrupted = remoteRun("remote-a", yaml, bootstrap, OptionalLong.empty()).runDir;
            }

            // crashed at KD step 5, then resumed; teacher-service loses every first request and answers twice
            Path crashed;
            try (SampleResponder responder = new SampleResponder(bootstrap, "remote-b", teacherService, true, 2)) {
                crashed = remoteRun("remote-b", yaml, bootstrap, OptionalLong.of(5)).runDir;
                for (String phase : List.of("kd", "final-fine-tune")) {
                    assertThat(Files.readAllLines(crashed.resolve(phase).resolve(StepLog.FILE))).as(phase)
                            .isEqualTo(Files.readAllLines(uninterrupted.resolve(phase).resolve(StepLog.FILE)));
                }
            }
            model.close();
        }
    }

    /** A remote Joint-Teaching job through TrainerJobs, stopped after {@code crashAt} KD steps and resumed. */
    private RemoteRun remoteRun(String job, String yaml, String bootstrap, OptionalLong crashAt) throws Exception {
        JobSpec remote = remoteSpec(yaml, job);
        Path store = Files.createDirectories(temp.resolve("store-" + job));
        Path data = temp.resolve("trainer-data-" + job);
        Path teacher = HfTiny.copyModel(HfTiny.BART, Files.createDirectories(store.resolve("teachers/t")));
        CheckpointEvent ready = teacherReady(new ModelStore(store).uriOf(teacher).toString()).toBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job)).build();
        List<PseudoTarget> ours = records.stream().map(r -> r.toBuilder().setHeader(r.getHeader().toBuilder()
                .setJobId(job)).build()).toList();
        Optional<Function<String, RemoteStudentScorer>> scorers = Optional.of(id -> new RemoteStudentScorer(id,
                bootstrap, Duration.ofMinutes(5), Duration.ofSeconds(10), Clock.systemUTC(), "student-trainer/test"));
        long offset = 0;
        if (crashAt.isPresent()) {
            Process first = new Process(store, data, scorers, job);
            first.jobs.stoppingAfter("kd", crashAt.getAsLong());
            first.jobs.acceptSpec(remote);
            first.jobs.acceptCheckpoint(ready);
            for (PseudoTarget record : ours) {
                first.jobs.acceptTarget(record, Topics.PSEUDO_TARGETS, 0, offset++);
            }
            assertThat(first.failure.get(10, TimeUnit.MINUTES)).isInstanceOf(LocalInterruption.class);
            first.jobs.close();
        }
        Process run = new Process(store, data, scorers, job);
        run.jobs.acceptSpec(remote);
        run.jobs.acceptCheckpoint(ready);
        for (PseudoTarget record : ours) {
            run.jobs.acceptTarget(record, Topics.PSEUDO_TARGETS, 0, offset++);
        }
        CheckpointEvent student = run.finalStudent.get(10, TimeUnit.MINUTES);
        run.jobs.close();
        assertThat(student.getMetricsMap().get(JobAccounting.TRAINER_RESUMES)).isEqualTo(crashAt.isPresent() ? 1.0 : 0.0);
        assertThat(student.getMetricsMap().get(JobAccounting.PT_RECORDS_TRAINED)).isEqualTo((double) records.size());
        assertThat(student.getMetricsMap().get(JobAccounting.STUDENT_SCORES_RECEIVED)).as("scores kept")
                .isPositive();
        if (crashAt.isPresent()) {
            assertThat(student.getMetricsMap().get(JobAccounting.STUDENT_SCORES_DUPLICATE)).as("copies dropped")
                    .isPositive();
            assertThat(run.counter(TrainerGauges.STUDENT_SCORES_DUPLICATE)).isPositive();
        } else {
            assertThat(student.getMetricsMap().get(JobAccounting.STUDENT_SCORES_DUPLICATE)).isZero();
        }
        return new RemoteRun(store.resolve(job).resolve("run"), student);
    }

    private record RemoteRun(Path runDir, CheckpointEvent student) {}

    private static JobSpec remoteSpec(String yaml, String job) {
        JobSpec parsed = JobFile.parse("tiny.yaml", yaml.replace("name: tiny", "name: " + job),
                temp.resolve("job"), job);
        return parsed.toBuilder().setTask("style").setPseudoTargets(parsed.getPseudoTargets().toBuilder()
                .setQuantization(TeacherDistribution.Quantization.FP16)).build();
    }

    /** What a trainer process builds over its directories: its jobs, gauges and a record of what it published. */
    private static final class Process {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final List<CheckpointEvent> published = new CopyOnWriteArrayList<>();
        final CompletableFuture<CheckpointEvent> finalStudent = new CompletableFuture<>();
        final CompletableFuture<RuntimeException> failure = new CompletableFuture<>();
        final TrainerJobs jobs;
        private final String job;

        Process(Path store, Path data) {
            this(store, data, Optional.empty(), "tiny");
        }

        Process(Path store, Path data, Optional<Function<String, RemoteStudentScorer>> scorers, String job) {
            this.job = job;
            jobs = new TrainerJobs(new TrainerJobs.Setup(data,
                    new CheckpointWriter(new ModelStore(store), "student-trainer/test", Clock.systemUTC()),
                    JobLimits.DEFAULT, scorers, new TrainerGauges(registry), event -> {
                        published.add(event);
                        if (event.getRole() == ModelRole.STUDENT && event.getFinal()) {
                            finalStudent.complete(event);
                        }
                    }, (spec, cause) -> failure.complete(cause)));
        }

        double counter(String name) {
            return registry.get(name).tag("job", job).counter().count();
        }
    }

    private static CheckpointEvent teacherReady(String uri) {
        return CheckpointEvent.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId("tiny"))
                .setRole(ModelRole.TEACHER)
                .setFinal(true)
                .setUri(uri)
                .setSha256("unused-by-the-trainer")
                .build();
    }
}
