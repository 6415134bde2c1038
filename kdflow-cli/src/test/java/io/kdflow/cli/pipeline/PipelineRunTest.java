package io.kdflow.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.wire.RecordKeys;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.kafka.broker.BrokerOptions;
import io.kdflow.kafka.broker.KafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./kdflow run --bootstrap} against the real embedded broker without services: a job whose records never
 * come times out (exit code, the service to look at); a job whose final checkpoints and reports are on the topics
 * ends at once with the comparison and the report written.
 */
class PipelineRunTest {

    private static KafkaBroker broker;

    @TempDir
    Path folder;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(BrokerOptions.defaults());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void shouldTimeOutNamingTheServiceToLookAt() throws Exception {
        JobSpec spec = PipelineJobs.job(folder, "stalled", "pseudo_targets:\n  k: 1\n");
        StringWriter out = new StringWriter();

        PipelineRun.Outcome outcome = new PipelineRun(folder, spec, Optional.of(broker.bootstrapServers()),
                Duration.ofSeconds(2), new PrintWriter(out, true)).run();

        assertThat(outcome.exitCode()).isEqualTo(PipelineRun.EXIT_TIMEOUT);
        assertThat(outcome.done()).isFalse();
        assertThat(out.toString()).contains("[run] job stalled: 2 inputs (2 labeled) x K=1, 4 PT records expected")
                .contains("[run] submitted the job and its 2 inputs")
                .contains("PTs 0/4 | trainer: no dev evaluation yet | final checkpoints --- | reports 0/6")
                .contains("[run] timed out after 2 s: 0 of 6 final reports in, 0 dead letter(s); read the"
                        + " teacher-service log first");
    }

    @Test
    void shouldPrintTheComparisonAndWriteTheReportOnceTheThreeReportsAreIn() throws Exception {
        JobSpec spec = PipelineJobs.job(folder, "finished", "pseudo_targets:\n  k: 0\n");
        try (JobSubmission submission = new JobSubmission(broker.bootstrapServers(), Clock.systemUTC());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
            submission.createTopics(Topics.all());
            List<CheckpointEvent> events = List.of(
                    event(ModelRole.TEACHER, 0, "a", true),
                    event(ModelRole.STUDENT, 5, "e", false).toBuilder().setPhase("kd").putMetrics("dev_bleu", 11.0)
                            .putMetrics("train_loss", 3.0).build(),
                    event(ModelRole.STUDENT_BASELINE, 8, "b", true),
                    event(ModelRole.STUDENT, 10, "c", true));
            for (CheckpointEvent event : events) {
                producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, bytes(RecordKeys.keyOf(event)),
                        WireCodecs.CHECKPOINT_EVENT.encode(event))).get();
            }
            List<EvalReport> reports = new ArrayList<>();
            for (Split split : List.of(Split.DEV, Split.TEST)) {
                reports.add(report(ModelRole.TEACHER, 0, "a", split, 20, 30));
                reports.add(report(ModelRole.STUDENT_BASELINE, 8, "b", split, 10, 12));
                reports.add(report(ModelRole.STUDENT, 10, "c", split, 16, 10));
            }
            for (EvalReport report : reports) {
                producer.send(new ProducerRecord<>(Topics.EVAL_REPORTS, bytes(RecordKeys.keyOf(report)),
                        WireCodecs.EVAL_REPORT.encode(report))).get();
            }
        }
        StringWriter out = new StringWriter();

        PipelineRun run = new PipelineRun(folder, spec, Optional.of(broker.bootstrapServers()), Duration.ofMinutes(2),
                new PrintWriter(out, true));
        PipelineRun.Outcome outcome = run.run();

        assertThat(outcome.exitCode()).as(out.toString()).isZero();
        assertThat(outcome.runDir()).isEqualTo(folder.resolve("runs/finished"));
        assertThat(out.toString())
                .contains("teacher      test     20.00      n/a      n/a    2.000          100      30.0 ms")
                .contains("KD student   test     16.00      n/a      n/a    2.000          100      10.0 ms")
                .contains("speed-up of the KD student over the teacher (latency p50): 3.00x")
                .contains("gap closed on test bleu: 60.0%");
        assertThat(Files.readAllLines(outcome.runDir().resolve("comparison.txt")))
                .contains("gap closed on dev bleu: 60.0%");
        JsonNode report = new ObjectMapper().readTree(outcome.runDir().resolve("report.json").toFile());
        List<String> points = new ArrayList<>();
        report.get("points").forEach(p -> points.add(p.get("model").asText() + "/" + p.get("step").asLong() + "/"
                + p.get("split").asText()));
        assertThat(points).containsExactly("kd-student/5/dev", "teacher/0/dev", "teacher/0/test", "ce-student/8/dev",
                "ce-student/8/test", "kd-student/10/dev", "kd-student/10/test");
        assertThat(outcome.runDir().resolve("report.md")).isNotEmptyFile();
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static RecordHeader header() {
        return RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId("finished").build();
    }

    private static CheckpointEvent event(ModelRole role, long step, String sha, boolean last) {
        return CheckpointEvent.newBuilder().setHeader(header()).setRole(role).setStep(step)
                .setUri("store:finished/" + step).setSha256(sha.repeat(64)).setFinal(last).build();
    }

    private static EvalReport report(ModelRole role, long step, String sha, Split split, double bleu, double latency) {
        return EvalReport.newBuilder().setHeader(header()).setRole(role).setStep(step).setSplit(split)
                .setCheckpointUri("store:finished/" + step).setCheckpointSha256(sha.repeat(64))
                .putMetrics("bleu", bleu).putMetrics("nll", 2.0).putMetrics("params", 100)
                .putMetrics("latency_ms_p50", latency).setNumExamples(1).build();
    }
}
