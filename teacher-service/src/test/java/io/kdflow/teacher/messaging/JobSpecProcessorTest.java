package io.kdflow.teacher.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.local.StreamingSteps;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.TeacherSpec;
import io.kdflow.kafka.testing.InjectKafkaTestClient;
import io.kdflow.kafka.testing.KafkaBrokerResource;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * teacher-service against a real broker: a job spec with a PRETRAINED bart-tiny directory outside the model store
 * gives one teacher-ready event whose URI resolves to a copy inside the store with the same weights; the same spec
 * again gives the same event; a directory that is no model is dead-lettered.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
public class JobSpecProcessorTest {

    /** The service's {@code %test.teacher.model-store}. */
    static final Path STORE = Path.of("target/test-model-store");

    private static final String RUN = Long.toString(System.nanoTime(), 36);

    @InjectKafkaTestClient
    KafkaTestClient kafka;

    @Test
    void shouldCopyAPretrainedTeacherIntoTheStoreOnceAndPublishItsTeacherReadyEvent() throws Exception {
        String job = "job-teacher-" + RUN;
        Path outside = HfTiny.copyModel(HfTiny.BART, Path.of("target/teachers-outside-the-store").resolve(job));
        String sha256 = ModelStore.sha256(outside.resolve("model.safetensors"));
        JobSpec spec = spec(job, outside.toAbsolutePath().toString());

        kafka.send(Topics.JOBS, bytes(job), WireCodecs.JOB_SPEC.encode(spec));
        CheckpointEvent event = WireCodecs.CHECKPOINT_EVENT.decode(kafka.awaitRecord(Topics.CHECKPOINTS,
                r -> keyOf(r.key()).equals(job + "/teacher")).value());

        assertThat(event.getRole()).isEqualTo(ModelRole.TEACHER);
        assertThat(event.getFinal()).isTrue();
        assertThat(event.getStep()).isZero();
        assertThat(event.getPhase()).isEmpty();
        assertThat(event.getHeader().getJobId()).isEqualTo(job);
        assertThat(event.getSha256()).isEqualTo(sha256);
        String key = StreamingSteps.teacherKey(outside);
        assertThat(event.getUri()).isEqualTo("store:teachers/" + key);
        Path copy = new ModelStore(STORE).resolve(event.getUri());
        assertThat(copy).isDirectory();
        assertThat(ModelStore.sha256(copy.resolve("model.safetensors"))).isEqualTo(sha256);
        assertThat(StreamingSteps.teacherKey(copy)).isEqualTo(key);

        kafka.send(Topics.JOBS, bytes(job), WireCodecs.JOB_SPEC.encode(spec)); // redelivered
        List<CheckpointEvent> events = kafka.awaitMatching(Topics.CHECKPOINTS, 2,
                r -> keyOf(r.key()).equals(job + "/teacher")).stream()
                .map(r -> WireCodecs.CHECKPOINT_EVENT.decode(r.value())).toList();
        assertThat(events).extracting(CheckpointEvent::getUri).containsOnly(event.getUri());
        assertThat(events).extracting(CheckpointEvent::getSha256).containsOnly(sha256);
        try (var entries = Files.list(STORE.resolve("teachers"))) {
            assertThat(entries.filter(p -> p.getFileName().toString().startsWith(".copy-"))).isEmpty();
        }
    }

    @Test
    void shouldDeadLetterAJobWhoseTeacherDirectoryIsNoModel() throws Exception {
        String job = "job-no-model-" + RUN;
        Path empty = Files.createDirectories(Path.of("target/teachers-outside-the-store").resolve(job));

        kafka.send(Topics.JOBS, bytes(job), WireCodecs.JOB_SPEC.encode(spec(job, empty.toAbsolutePath().toString())));

        DeadLetter letter = WireCodecs.DEAD_LETTER.decode(
                kafka.awaitRecord(Topics.DEAD_LETTERS, r -> keyOf(r.key()).equals(job)).value());
        assertThat(letter.getService()).isEqualTo("teacher");
        assertThat(letter.getSourceTopic()).isEqualTo(Topics.JOBS);
        assertThat(letter.getReason()).isEqualTo("JobSpec.teacher.dir: " + empty.toAbsolutePath() + " is not a Hugging"
                + " Face model directory (no config.json; train the teacher first, e.g. ./kdflow teacher train --job"
                + " jobs/shakespeare-teacher.yaml)");
    }

    public static JobSpec spec(String job, String teacherDir) {
        return JobSpec.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setTask("style")
                .setTeacher(TeacherSpec.newBuilder().setSource(TeacherSpec.Source.PRETRAINED).setDir(teacherDir))
                .build();
    }

    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static String keyOf(byte[] key) {
        return key == null ? "" : new String(key, StandardCharsets.UTF_8);
    }
}
