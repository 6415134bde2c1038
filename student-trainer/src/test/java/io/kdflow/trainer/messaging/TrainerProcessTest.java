package io.kdflow.trainer.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.store.CheckpointManifest;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.core.wire.proto.StudentSpec;
import io.kdflow.core.wire.proto.TrainingSpec;
import io.kdflow.kafka.testing.InjectKafkaTestClient;
import io.kdflow.kafka.testing.KafkaBrokerResource;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One trainer process, a real broker: two jobs train side by side, each with its own JobSpec's batch size
 * and checkpoint cadence (one job's targets arrive before its spec), and a bad JobSpec is dead-lettered with
 * the field path in its reason.
 */
@QuarkusTest
@TestProfile(TrainModeProfile.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class TrainerProcessTest {

    private static final String RUN = Long.toString(System.nanoTime(), 36);
    private static final Path STORE = Path.of("target/test-model-store");

    @InjectKafkaTestClient
    KafkaTestClient kafka;

    @Test
    void shouldTrainTwoJobsWithTheirOwnSettings() throws Exception {
        HfTiny.copyModel(HfTiny.BART, Files.createDirectories(STORE.resolve("init-" + RUN)));
        String pairs = "pairs-" + RUN;
        String singles = "singles-" + RUN;
        for (int i = 0; i < 3; i++) {
            send(target(singles, "s" + i)); // before its spec: held, trained when the spec arrives
        }
        sendSpec(spec(pairs, 2, 1));
        sendSpec(spec(singles, 1, 3));
        for (int i = 0; i < 4; i++) {
            send(target(pairs, "p" + i));
        }

        CheckpointEvent pairsFirst = awaitCheckpoint(pairs, 1);
        CheckpointEvent pairsSecond = awaitCheckpoint(pairs, 2);
        CheckpointEvent singlesThird = awaitCheckpoint(singles, 3);

        assertThat(pairsFirst.getUri()).isEqualTo("store:" + pairs + "/student/step-00000001");
        CheckpointManifest manifest = CheckpointManifest.verify(new ModelStore(STORE).resolve(pairsSecond.getUri()),
                pairsSecond.getSha256());
        assertThat(manifest.properties()).containsEntry("mode", "cross-entropy").containsEntry("targets", "4");
        assertThat(manifest.files()).containsKeys("model.safetensors", "optimizer.safetensors", "training_state.json");
        CheckpointManifest singlesManifest = CheckpointManifest.verify(
                new ModelStore(STORE).resolve(singlesThird.getUri()), singlesThird.getSha256());
        assertThat(singlesManifest.properties()).containsEntry("targets", "3");
    }

    @Test
    void shouldDeadLetterABadJobSpecWithTheFieldPath() {
        String job = "bad-spec-" + RUN;
        sendSpec(spec(job, 0, 1));

        DeadLetter letter = WireCodecs.DEAD_LETTER.decode(kafka.awaitRecord(Topics.DEAD_LETTERS,
                r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(job)).value());
        assertThat(letter.getService()).isEqualTo("trainer");
        assertThat(letter.getSourceTopic()).isEqualTo(Topics.JOBS);
        assertThat(letter.getReason()).isEqualTo("JobSpec.training.batch_size: 0 is not allowed (must be 1..4096)");
    }

    private JobSpec spec(String job, int batchSize, int checkpointEvery) {
        return JobSpec.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setTask("style")
                .setStudent(StudentSpec.newBuilder().setInitUri("store:init-" + RUN + "/bart-tiny"))
                .setTraining(TrainingSpec.newBuilder().setBatchSize(batchSize).setLearningRate(1e-3f)
                        .setTotalSteps(50).setCheckpointEverySteps(checkpointEvery)
                        .setMaxSourceTokens(32).setMaxTargetTokens(32))
                .build();
    }

    private void sendSpec(JobSpec spec) {
        kafka.send(Topics.JOBS, spec.getHeader().getJobId().getBytes(StandardCharsets.UTF_8),
                WireCodecs.JOB_SPEC.encode(spec));
    }

    private void send(PseudoTarget target) {
        String key = Topics.exampleKey(target.getHeader().getJobId(), target.getExampleId());
        kafka.send(Topics.PSEUDO_TARGETS, key.getBytes(StandardCharsets.UTF_8), WireCodecs.PSEUDO_TARGET.encode(target));
    }

    private CheckpointEvent awaitCheckpoint(String job, long step) {
        return WireCodecs.CHECKPOINT_EVENT.decode(kafka.awaitRecord(Topics.CHECKPOINTS, r -> {
            CheckpointEvent event = WireCodecs.CHECKPOINT_EVENT.decode(r.value());
            return event.getHeader().getJobId().equals(job) && event.getStep() == step;
        }).value());
    }

    private static PseudoTarget target(String job, String exampleId) {
        List<String> sources = List.of("Good morrow to you, my lord.", "What news on the Rialto?",
                "Wherefore art thou Romeo?", "All that glisters is not gold.");
        int i = Integer.parseInt(exampleId.substring(1));
        return PseudoTarget.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setExampleId(exampleId)
                .setSplit(Split.TRAIN)
                .setKind(PseudoTarget.Kind.PASS_THROUGH)
                .setNumPseudoTargets(1)
                .setSource(sources.get(i))
                .setText("target " + exampleId)
                .build();
    }
}
