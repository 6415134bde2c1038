package io.kdflow.evaluator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.wire.RecordKeys;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.kdflow.kafka.testing.SharedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The evaluator's memory of what is on the reports topic, read from the real embedded broker as a restarted
 * evaluator reads it: a checkpoint whose reports were acknowledged before a crash (its log line lost) is known with
 * each split, a checkpoint with only its dev report acknowledged lacks its test split, bytes that are not an
 * EvalReport are skipped, and the reports are read to the topic's end.
 */
class PublishedReportsTest {

    private static final String RUN = Long.toString(System.nanoTime(), 36);

    private static String bootstrap;

    @BeforeAll
    static void topics() {
        bootstrap = SharedKafkaBroker.bootstrapServers();
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            if (!kafka.topics().contains(Topics.EVAL_REPORTS)) {
                kafka.createTopics(4, Topics.EVAL_REPORTS);
            }
        }
    }

    @Test
    void shouldKnowEverySplitReportedBeforeARestartFromTheTopic() {
        String job = "published-" + RUN;
        CheckpointId whole = new CheckpointId(job, ModelRole.STUDENT, 14, "a".repeat(64));
        CheckpointId half = new CheckpointId(job, ModelRole.STUDENT_BASELINE, 6, "b".repeat(64));
        CheckpointId never = new CheckpointId(job, ModelRole.TEACHER, 0, "c".repeat(64));
        EvalReport wholeDev = TestReports.report(whole, Split.DEV, 0.25, true);
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            send(kafka, wholeDev);
            send(kafka, TestReports.report(whole, Split.TEST, 0.5, true));
            kafka.send(Topics.EVAL_REPORTS, (job + "/junk").getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
            send(kafka, TestReports.report(half, Split.DEV, 0.75, false));
            send(kafka, TestReports.report(whole, Split.DEV, 9.0, false)); // a second copy: the first stays
        }

        PublishedReports reports = PublishedReports.read(properties(), Duration.ofMinutes(1));

        assertThat(reports.contains(whole, Split.DEV)).isTrue();
        assertThat(reports.contains(whole, Split.TEST)).isTrue();
        assertThat(reports.contains(half, Split.DEV)).isTrue();
        assertThat(reports.contains(half, Split.TEST)).as("not acknowledged before the crash").isFalse();
        assertThat(reports.contains(never, Split.DEV)).isFalse();
        assertThat(reports.of(whole)).containsOnlyKeys(Split.DEV, Split.TEST);
        assertThat(reports.of(whole).get(Split.DEV)).isEqualTo(wholeDev);
        assertThat(reports.of(never)).isEmpty();

        assertThat(reports.reported(whole, Set.of(Split.DEV, Split.TEST), "nll")).as("logged from its reports")
                .contains(new ReportedCheckpoint(job, ModelRole.STUDENT, 14, "a".repeat(64),
                        "store:" + job + "/run/kd/best", Map.of("dev", Map.of("nll", 0.25), "test", Map.of("nll", 0.5)),
                        true, "nll"));
        assertThat(reports.reported(half, Set.of(Split.DEV, Split.TEST), "nll")).as("its test split is missing: it"
                + " is evaluated again and only test is published").isEmpty();
        assertThat(reports.reported(half, Set.of(Split.DEV), "nll")).map(ReportedCheckpoint::splits)
                .contains(Map.of("dev", Map.of("nll", 0.75)));

        reports.add(half, TestReports.report(half, Split.TEST, 0.8, false));
        assertThat(reports.contains(half, Split.TEST)).as("this process's own send").isTrue();
    }

    @Test
    void shouldKnowNothingWithoutABrokerToRead() {
        PublishedReports none = PublishedReports.none();
        assertThat(none.checkpoints()).isZero();
        assertThat(none.contains(new CheckpointId("j", ModelRole.STUDENT, 1, "d".repeat(64)), Split.DEV)).isFalse();
    }

    private static Properties properties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return props;
    }

    private static void send(KafkaTestClient kafka, EvalReport report) {
        kafka.send(Topics.EVAL_REPORTS, RecordKeys.keyOf(report).getBytes(StandardCharsets.UTF_8),
                WireCodecs.EVAL_REPORT.encode(report));
    }
}
