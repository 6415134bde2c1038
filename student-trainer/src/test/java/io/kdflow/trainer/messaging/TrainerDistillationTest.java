package io.kdflow.trainer.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.kdflow.core.job.JobFile;
import io.kdflow.core.local.DevPoint;
import io.kdflow.core.local.LocalDistillation;
import io.kdflow.core.local.LocalOptions;
import io.kdflow.core.local.LocalProgress;
import io.kdflow.core.local.LocalResult;
import io.kdflow.core.local.TinyJob;
import io.kdflow.core.pt.PseudoTargetFile;
import io.kdflow.core.store.CheckpointManifest;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.wire.RecordKeys;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TrainingSpec;
import io.kdflow.kafka.testing.InjectKafkaTestClient;
import io.kdflow.kafka.testing.KafkaBrokerResource;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.kdflow.trainer.training.JobAccounting;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * One trainer process, a real broker: the tiny job of kd-core's local tests (bart-tiny teacher, K = 2, two KD
 * epochs, a final fine-tune) distilled by the trainer from its JobSpec, its teacher-ready event and the PT records
 * kd-core's generator made for {@code distill --local}, step for step like that local run; bad job specs are
 * dead-lettered with the field they got wrong, before any run starts.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class TrainerDistillationTest {

    private static final String RUN = Long.toString(System.nanoTime(), 36);
    private static final Path STORE = Path.of("target/test-model-store");

    @InjectKafkaTestClient
    KafkaTestClient kafka;

    @Test
    void shouldDistillTheTinyJobStepForStepLikeDistillLocal() throws Exception {
        Path work = Files.createDirectories(Path.of("target/trainer-test-" + RUN)).toAbsolutePath();
        Path folder = TinyJob.prepare(work.resolve("job"));
        String job = "tiny-" + RUN;
        JobSpec spec = wireReady(JobFile.parse("tiny.yaml", TinyJob.yaml(TinyJob.OPTIMIZATION, "").replace("name: tiny",
                "name: " + job), folder, job));
        LocalResult local = new LocalDistillation(spec, LocalOptions.of(work.resolve("cache"))
                .withRunDir(work.resolve("local")), LocalProgress.NONE).run();
        List<PseudoTarget> records = PseudoTargetFile.readAll(Path.of(local.pseudoTargets().orElseThrow().file()));
        Path teacher = HfTiny.copyModel(HfTiny.BART, Files.createDirectories(STORE.resolve("teachers").resolve(RUN)));

        send(Topics.JOBS, RecordKeys.keyOf(spec), WireCodecs.JOB_SPEC.encode(spec));
        CheckpointEvent ready = teacherReady(job, new ModelStore(STORE).uriOf(teacher).toString(),
                ModelStore.sha256(teacher.resolve("model.safetensors")));
        send(Topics.CHECKPOINTS, RecordKeys.keyOf(ready), WireCodecs.CHECKPOINT_EVENT.encode(ready));
        for (PseudoTarget record : records) {
            send(Topics.PSEUDO_TARGETS, RecordKeys.keyOf(record), WireCodecs.PSEUDO_TARGET.encode(record));
        }
        send(Topics.PSEUDO_TARGETS, RecordKeys.keyOf(records.get(3)), WireCodecs.PSEUDO_TARGET.encode(records.get(3)));

        kafka.awaitMatching(Topics.CHECKPOINTS, 1, r -> {
            CheckpointEvent event = decode(r);
            return event.getHeader().getJobId().equals(job) && event.getRole() == ModelRole.STUDENT
                    && event.getFinal();
        }, Duration.ofMinutes(10));
        List<DevPoint> kdPoints = local.kd().evaluations();
        List<DevPoint> fineTunePoints = local.finalFineTune().orElseThrow().evaluations();
        List<CheckpointEvent> events = kafka.awaitMatching(Topics.CHECKPOINTS,
                2 + kdPoints.size() + fineTunePoints.size(),
                r -> decode(r).getHeader().getJobId().equals(job) && decode(r).getRole() != ModelRole.TEACHER)
                .stream().map(TrainerDistillationTest::decode).toList();

        Path run = STORE.resolve(job).resolve("run");
        for (String phase : List.of("kd", "final-fine-tune")) {
            assertThat(Files.readAllLines(run.resolve(phase).resolve("steps.jsonl")))
                    .as(phase + " steps").hasSize((int) Files.lines(work.resolve("local").resolve(phase)
                            .resolve("steps.jsonl")).count())
                    .isEqualTo(Files.readAllLines(work.resolve("local").resolve(phase).resolve("steps.jsonl")));
        }

        // One key per role: the STUDENT events are in order, the baseline's lie on another partition.
        List<CheckpointEvent> baselines = events.stream().filter(e -> e.getRole() == ModelRole.STUDENT_BASELINE)
                .toList();
        List<CheckpointEvent> students = events.stream().filter(e -> e.getRole() == ModelRole.STUDENT).toList();
        assertThat(baselines).hasSize(1);
        CheckpointEvent baseline = baselines.get(0);
        assertThat(baseline.getFinal()).isTrue();
        assertThat(baseline.getPhase()).isEqualTo("baseline");
        assertThat(baseline.getStep()).isEqualTo(local.baseline().best().step());
        assertThat(baseline.getMetricsMap()).containsEntry("dev_nll", local.baseline().best().metrics().get("nll"));
        assertSealed(baseline);

        List<String> progress = new ArrayList<>();
        students.subList(0, students.size() - 1).forEach(e -> progress.add(e.getPhase() + "@" + e.getStep()
                + (e.getFinal() ? " final" : "")));
        List<String> expected = new ArrayList<>();
        kdPoints.forEach(p -> expected.add("kd@" + p.step()));
        fineTunePoints.forEach(p -> expected.add("final-fine-tune@" + p.step()));
        assertThat(progress).isEqualTo(expected);
        CheckpointEvent firstKd = students.get(0);
        assertThat(firstKd.getRole()).isEqualTo(ModelRole.STUDENT);
        assertThat(firstKd.getMetricsMap()).containsKeys("train_loss", "tokens_per_second", "dev_bleu")
                .containsEntry("dev_nll", kdPoints.get(0).metrics().get("nll"));
        assertThat(firstKd.getEpoch()).isEqualTo(kdPoints.get(0).epoch());

        CheckpointEvent student = students.get(students.size() - 1);
        DevPoint best = local.finalFineTune().orElseThrow().best();
        assertThat(student.getRole()).isEqualTo(ModelRole.STUDENT);
        assertThat(student.getFinal()).isTrue();
        assertThat(student.getStep()).isEqualTo(best.step());
        assertThat(student.getMetricsMap()).containsEntry("dev_nll", best.metrics().get("nll"));
        assertThat(student.getConsumedList()).isNotEmpty().allSatisfy(offset ->
                assertThat(offset.getTopic()).isEqualTo(Topics.PSEUDO_TARGETS));
        assertSealed(student);
        assertThat(student.getMetricsMap()).as("the reliability counters").containsAllEntriesOf(Map.of(
                JobAccounting.PT_RECORDS_TRAINED, (double) records.size(),
                JobAccounting.PT_RECORDS_DUPLICATE, 1.0,
                JobAccounting.STUDENT_SCORES_RECEIVED, 0.0,
                JobAccounting.STUDENT_SCORES_DUPLICATE, 0.0,
                JobAccounting.TRAINER_RESUMES, 0.0));
        assertThat(PseudoTargetFile.readAll(Path.of("target/test-trainer-data").resolve(job).resolve("targets.pb")))
                .as("the redelivered record stored once").hasSize(records.size());
        String tags = "{job=\"" + job + "\",phase=\"final-fine-tune\"}";
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kdflow_trainer_step" + tags + " " + (double) local.finalFineTune().orElseThrow().steps()))
                .body(containsString("kdflow_trainer_phase" + tags + " 1.0"))
                .body(containsString("kdflow_trainer_phase{job=\"" + job + "\",phase=\"kd\"} 0.0"))
                .body(containsString("kdflow_trainer_train_loss" + tags))
                .body(containsString("kdflow_trainer_tokens_per_second" + tags))
                .body(containsString("kdflow_trainer_loss_term{job=\"" + job + "\",phase=\"kd\",term=\"targets\"}"))
                .body(containsString("kdflow_trainer_data_wait_seconds{job=\"" + job + "\"}"))
                .body(containsString("kdflow_trainer_pt_records_duplicate_total{job=\"" + job + "\"} 1.0"))
                .body(containsString("kdflow_trainer_student_scores_duplicate_total{job=\"" + job + "\"} 0.0"))
                .body(containsString("kdflow_trainer_resumes_total{job=\"" + job + "\"} 0.0"));
    }

    @Test
    void shouldDeadLetterABadJobSpecWithTheFieldPath() {
        String job = "bad-spec-" + RUN;
        JobSpec spec = JobSpec.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setTask("style")
                .setTraining(TrainingSpec.newBuilder().setBatchSize(0).setLearningRate(1e-3f))
                .build();
        send(Topics.JOBS, RecordKeys.keyOf(spec), WireCodecs.JOB_SPEC.encode(spec));

        DeadLetter letter = deadLetter(job);
        assertThat(letter.getService()).isEqualTo("trainer");
        assertThat(letter.getSourceTopic()).isEqualTo(Topics.JOBS);
        assertThat(letter.getReason()).isEqualTo("JobSpec.training.batch_size: 0 is not allowed (must be 1..4096)");
    }

    @Test
    void shouldDeadLetterRemoteJointTeachingWithAStalenessAboveZero() throws Exception {
        Path folder = TinyJob.prepare(Files.createDirectories(Path.of("target/trainer-test-remote-" + RUN))
                .toAbsolutePath());
        String job = "remote-" + RUN;
        JobSpec spec = wireReady(JobFile.parse("tiny.yaml", TinyJob.yaml(TinyJob.OPTIMIZATION,
                "joint_teaching:\n  mode: remote\n  max_staleness_steps: 2\n")
                .replace("type: logit_kd", "type: logit_kd\n  teacher_logits: records")
                .replace("name: tiny", "name: " + job), folder, job));
        send(Topics.JOBS, RecordKeys.keyOf(spec), WireCodecs.JOB_SPEC.encode(spec));

        assertThat(deadLetter(job).getReason()).startsWith("JobSpec.training.max_staleness_steps: 2 is not supported");
    }

    @Test
    void shouldDeadLetterAJobWhoseDataFileIsMissingBeforeItsRunStarts() throws Exception {
        Path folder = TinyJob.prepare(Files.createDirectories(Path.of("target/trainer-test-nodev-" + RUN))
                .toAbsolutePath());
        String job = "no-dev-" + RUN;
        JobSpec spec = wireReady(JobFile.parse("tiny.yaml", TinyJob.yaml(TinyJob.OPTIMIZATION, "")
                .replace("name: tiny", "name: " + job), folder, job));
        Files.delete(folder.resolve("dev.jsonl"));
        send(Topics.JOBS, RecordKeys.keyOf(spec), WireCodecs.JOB_SPEC.encode(spec));

        assertThat(deadLetter(job).getReason()).isEqualTo("task.dev: " + folder.resolve("dev.jsonl")
                + " is not a file (a JSON Lines data file)");
    }

    /**
     * A job file's spec with what the wire asks of a published JobSpec and the file leaves to its defaults: a task
     * name and the PT quantization (FP16, the default it resolves to, so the job is the same).
     */
    private static JobSpec wireReady(JobSpec spec) {
        return spec.toBuilder().setTask("style").setPseudoTargets(spec.getPseudoTargets().toBuilder()
                .setQuantization(TeacherDistribution.Quantization.FP16)).build();
    }

    private void assertSealed(CheckpointEvent event) {
        Path directory = new ModelStore(STORE).resolve(event.getUri());
        assertThat(directory.resolve("model.safetensors")).isRegularFile();
        CheckpointManifest manifest = CheckpointManifest.verify(directory, event.getSha256());
        assertThat(manifest.step()).isEqualTo(event.getStep());
    }

    /** What teacher-service publishes once a job's teacher lies in the store. */
    private static CheckpointEvent teacherReady(String job, String uri, String sha256) {
        return CheckpointEvent.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setRole(ModelRole.TEACHER)
                .setFinal(true)
                .setUri(uri)
                .setSha256(sha256)
                .build();
    }

    private DeadLetter deadLetter(String key) {
        return WireCodecs.DEAD_LETTER.decode(kafka.awaitRecord(Topics.DEAD_LETTERS,
                r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(key)).value());
    }

    private void send(String topic, String key, byte[] value) {
        kafka.send(topic, key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static CheckpointEvent decode(ConsumerRecord<byte[], byte[]> record) {
        return WireCodecs.CHECKPOINT_EVENT.decode(record.value());
    }
}
