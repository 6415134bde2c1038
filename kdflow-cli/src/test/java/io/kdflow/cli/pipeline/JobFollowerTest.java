package io.kdflow.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.kdflow.core.wire.RecordKeys;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.kafka.broker.BrokerOptions;
import io.kdflow.kafka.broker.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The follower's state from real records produced onto the real embedded broker: PT records counted once per
 * identity and job, the trainer's latest dev evaluation, the final checkpoints' reports (the student's chosen by its
 * final checkpoint's sha256), dead letters, the stalled service at each stage and "done" once the three test
 * reports are in.
 */
class JobFollowerTest {

    private static final String JOB = "follow";
    private static final String SHA_KD = "a".repeat(64);
    private static final String SHA_FINAL = "b".repeat(64);
    private static final String SHA_BASE = "c".repeat(64);
    private static final String SHA_TEACHER = "d".repeat(64);

    private static KafkaBroker broker;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(BrokerOptions.defaults());
        try (JobSubmission submission = new JobSubmission(broker.bootstrapServers(), Clock.systemUTC())) {
            submission.createTopics(Topics.all());
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopBroker() {
        producer.close();
        broker.close();
    }

    @Test
    void shouldFollowAJobFromItsRecordsUntilTheThreeTestReportsAreIn() throws Exception {
        // 1 gold + 1 input x K=2 = 3 expected
        JobProgress progress = new JobProgress(JOB, 3, Split.TEST);
        try (JobFollower follower = new JobFollower(broker.bootstrapServers(), progress)) {
            assertThat(progress.stalledService()).isEqualTo("teacher-service");

            send(Topics.CHECKPOINTS, checkpoint(ModelRole.TEACHER, 0, SHA_TEACHER, true));
            send(Topics.PSEUDO_TARGETS, pt(JOB, PseudoTarget.Kind.GOLD, 0));
            send(Topics.PSEUDO_TARGETS, pt(JOB, PseudoTarget.Kind.TEACHER, 0));
            send(Topics.PSEUDO_TARGETS, pt(JOB, PseudoTarget.Kind.TEACHER, 0)); // a redelivery
            send(Topics.PSEUDO_TARGETS, pt("other-job", PseudoTarget.Kind.TEACHER, 1));
            pollUntil(follower, () -> progress.ptRecords() == 2 && progress.ptDuplicates() == 1
                    && progress.finalCheckpoint(ModelRole.TEACHER).isPresent());
            assertThat(progress.stalledService()).isEqualTo("pt-sampler");

            send(Topics.PSEUDO_TARGETS, pt(JOB, PseudoTarget.Kind.TEACHER, 1));
            send(Topics.CHECKPOINTS, checkpoint(ModelRole.STUDENT, 10, SHA_KD, false).toBuilder().setPhase("kd")
                    .setEpoch(1).putMetrics("train_loss", 2.5).putMetrics("dev_bleu", 11.0).build());
            send(Topics.CHECKPOINTS, checkpoint(ModelRole.STUDENT, 20, SHA_KD, false).toBuilder().setPhase("kd")
                    .setEpoch(2).putMetrics("train_loss", 2.0).putMetrics("dev_bleu", 13.0).build());
            pollUntil(follower, () -> progress.trainerPoints().size() == 2 && progress.ptRecords() == 3);
            assertThat(progress.stalledService()).isEqualTo("student-trainer");
            assertThat(progress.latestTrainerPoint().orElseThrow())
                    .isEqualTo(new JobProgress.TrainerPoint(20, 2, "kd", Map.of("train_loss", 2.0, "dev_bleu", 13.0)));
            assertThat(ProgressLine.of(progress, "bleu", Duration.ofSeconds(10)))
                    .isEqualTo("    10 s | PTs 3/3 | step 20 (kd, epoch 2) loss 2.000 dev bleu 13.00 | final checkpoints "
                            + "T-- | reports 0/6 | dead letters 0 | ETA 10 s");

            send(Topics.CHECKPOINTS, checkpoint(ModelRole.STUDENT_BASELINE, 15, SHA_BASE, true));
            send(Topics.CHECKPOINTS, checkpoint(ModelRole.STUDENT, 20, SHA_FINAL, true));
            send(Topics.EVAL_REPORTS, report(ModelRole.TEACHER, 0, SHA_TEACHER, Split.TEST, 20.0));
            send(Topics.EVAL_REPORTS, report(ModelRole.STUDENT_BASELINE, 15, SHA_BASE, Split.TEST, 10.0));
            send(Topics.EVAL_REPORTS, report(ModelRole.STUDENT, 10, SHA_KD, Split.TEST, 99.0)); // not the final one
            send(Topics.EVAL_REPORTS, report(ModelRole.STUDENT, 20, SHA_FINAL, Split.DEV, 16.0));
            send(Topics.DEAD_LETTERS, DeadLetter.newBuilder().setHeader(header(JOB)).setService("evaluator")
                    .setSourceTopic(Topics.CHECKPOINTS).setSourcePartition(0).setSourceOffset(3)
                    .setReason("checkpoint store:x has no config.json")
                    .setKey(com.google.protobuf.ByteString.copyFromUtf8(JOB + "/student")).build());
            pollUntil(follower, () -> progress.deadLetters().size() == 1 && progress.finalReports() == 3);
            assertThat(progress.done()).as("the student's test report is not in yet").isFalse();
            assertThat(progress.stalledService()).isEqualTo("evaluator");
            assertThat(progress.report(ModelRole.STUDENT, Split.TEST)).as("only the non-final student's").isEmpty();

            send(Topics.EVAL_REPORTS, report(ModelRole.STUDENT, 20, SHA_FINAL, Split.TEST, 15.0));
            pollUntil(follower, progress::done);
        }

        assertThat(progress.report(ModelRole.STUDENT, Split.TEST).orElseThrow().getMetricsMap()).containsEntry("bleu", 15.0);
        assertThat(progress.report(ModelRole.TEACHER, Split.TEST).orElseThrow().getMetricsMap()).containsEntry("bleu", 20.0);
        assertThat(progress.deadLetters()).extracting(DeadLetter::getReason)
                .containsExactly("checkpoint store:x has no config.json");
        FinalComparison comparison = PipelineRun.comparison(progress, "bleu");
        assertThat(comparison.gapClosed("test")).containsEntry("gap_closed_bleu", 50.0);
    }

    private static void pollUntil(JobFollower follower, java.util.function.BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            JobProgress p = follower.progress();
            assertThat(Instant.now()).as("condition reached in time; PTs %d (+%d), trainer %s, finals %s, reports %d,"
                    + " dead letters %s, undecodable %d", p.ptRecords(), p.ptDuplicates(), p.trainerPoints(),
                    JobProgress.FINAL_ROLES.stream().map(r -> p.finalCheckpoint(r).isPresent()).toList(),
                    p.finalReports(), p.deadLetters(), follower.skipped()).isBefore(deadline);
            follower.poll(Duration.ofMillis(200));
        }
    }

    private static RecordHeader header(String job) {
        return RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job).build();
    }

    private static PseudoTarget pt(String job, PseudoTarget.Kind kind, int index) {
        return PseudoTarget.newBuilder().setHeader(header(job)).setExampleId("e1").setSplit(Split.TRAIN).setKind(kind)
                .setPtIndex(index).setNumPseudoTargets(kind == PseudoTarget.Kind.TEACHER ? 2 : 0).setSource("hark")
                .setText("listen").addSourceTokenIds(4).addTokenIds(5).addTokenIds(2).build();
    }

    private static CheckpointEvent checkpoint(ModelRole role, long step, String sha, boolean last) {
        return CheckpointEvent.newBuilder().setHeader(header(JOB)).setRole(role).setStep(step)
                .setUri("store:" + JOB + "/" + step).setSha256(sha).setFinal(last).build();
    }

    private static EvalReport report(ModelRole role, long step, String sha, Split split, double bleu) {
        return EvalReport.newBuilder().setHeader(header(JOB)).setRole(role).setStep(step).setSplit(split)
                .setCheckpointUri("store:" + JOB + "/" + step).setCheckpointSha256(sha).putMetrics("bleu", bleu)
                .setNumExamples(2).build();
    }

    private static void send(String topic, Message record) throws Exception {
        byte[] value = switch (topic) {
            case Topics.PSEUDO_TARGETS -> WireCodecs.PSEUDO_TARGET.encode((PseudoTarget) record);
            case Topics.CHECKPOINTS -> WireCodecs.CHECKPOINT_EVENT.encode((CheckpointEvent) record);
            case Topics.EVAL_REPORTS -> WireCodecs.EVAL_REPORT.encode((EvalReport) record);
            default -> WireCodecs.DEAD_LETTER.encode((DeadLetter) record);
        };
        byte[] key = record instanceof DeadLetter letter ? letter.getKey().toByteArray()
                : RecordKeys.keyOf(record).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
}
