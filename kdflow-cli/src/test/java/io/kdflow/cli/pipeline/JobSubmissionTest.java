package io.kdflow.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.local.JobInputs;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.SourceExample;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.kafka.broker.BrokerOptions;
import io.kdflow.kafka.broker.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submission on the real embedded broker: the JobSpec under the job id, then exactly distill --local's PT inputs
 * (labeled in file order with their gold, then unlabeled), each under {@code <job>/<id>}, in order per partition.
 */
class JobSubmissionTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_234_567), ZoneOffset.UTC);
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
    void shouldPublishTheSpecAndTheLabeledThenUnlabeledInputsInOrder() {
        JobSpec spec = PipelineJobs.job(folder, "submit-all", """
                pseudo_targets:
                  k: 2
                  labeled: true
                  unlabeled: true
                """);

        try (JobSubmission submission = new JobSubmission(broker.bootstrapServers(), CLOCK)) {
            submission.createTopics(Topics.all());
            submission.publishJob(spec);
            submission.publishInputs("submit-all", 7, JobInputs.of(spec));
        }

        List<ConsumerRecord<byte[], byte[]>> jobs = records(Topics.JOBS, "submit-all");
        assertThat(jobs).hasSize(1);
        assertThat(key(jobs.get(0))).isEqualTo("submit-all");
        JobSpec published = WireCodecs.JOB_SPEC.decode(jobs.get(0).value());
        assertThat(published.toBuilder().clearHeader().build()).isEqualTo(spec.toBuilder().clearHeader().build());
        assertThat(published.getHeader().getJobId()).isEqualTo("submit-all");
        assertThat(published.getHeader().getProvenance().getProducer()).isEqualTo(JobSubmission.PRODUCER);
        assertThat(published.getHeader().getCreatedUnixMs()).isEqualTo(1_234_567);

        List<String> expected = List.of("submit-all/t0", "submit-all/t1", "submit-all/u-a", "submit-all/unlabeled-2",
                "submit-all/u-c");
        List<ConsumerRecord<byte[], byte[]>> examples = records(Topics.EXAMPLES, "submit-all/");
        assertThat(examples).extracting(JobSubmissionTest::key).containsExactlyInAnyOrderElementsOf(expected);
        Map<Integer, List<String>> byPartition = new HashMap<>();
        examples.forEach(r -> byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(key(r)));
        byPartition.forEach((partition, keys) -> assertThat(keys).as("partition %d in submission order", partition)
                .isEqualTo(expected.stream().filter(keys::contains).toList()));
        Map<String, SourceExample> byKey = new HashMap<>();
        examples.forEach(r -> byKey.put(key(r), WireCodecs.SOURCE_EXAMPLE.decode(r.value())));
        SourceExample first = byKey.get("submit-all/t0");
        assertThat(first.getSplit()).isEqualTo(Split.TRAIN);
        assertThat(first.getSource()).isEqualTo("good morrow");
        assertThat(first.getReferencesList()).containsExactly("good morning");
        assertThat(first.getHeader().getJobId()).isEqualTo("submit-all");
        assertThat(first.getHeader().getProvenance().getSeed()).isEqualTo(7);
        SourceExample unlabeled = byKey.get("submit-all/unlabeled-2");
        assertThat(unlabeled.getSplit()).isEqualTo(Split.UNLABELED);
        assertThat(unlabeled.getSource()).isEqualTo("anon");
        assertThat(unlabeled.getReferencesList()).isEmpty();
        assertThat(byKey).doesNotContainKey("submit-all/t2"); // train_size: 2
    }

    @Test
    void shouldSelectTheInputsAsTheLocalRunDoes() {
        JobSpec unlabeledOnly = PipelineJobs.job(folder, "unlabeled-only", """
                pseudo_targets:
                  k: 1
                  labeled: false
                  unlabeled: true
                """);
        JobSpec goldOnly = PipelineJobs.job(folder, "gold-only", """
                pseudo_targets:
                  k: 0
                """);

        assertThat(JobInputs.of(unlabeledOnly)).extracting(input -> input.exampleId())
                .containsExactly("u-a", "unlabeled-2", "u-c");
        assertThat(JobInputs.of(goldOnly)).as("K = 0: no pseudo-targets, no inputs").isEmpty();
    }

    @Test
    void shouldFillTheTaskNameAndQuantizationAJobFileLeavesOutBeforePublishing() {
        JobSpec spec = PipelineJobs.job(folder, "no-names", """
                pseudo_targets:
                  k: 1
                  distribution_top_k: 8
                """);
        JobSpec bare = spec.toBuilder().clearTask().setPseudoTargets(spec.getPseudoTargets().toBuilder()
                .clearQuantization()).build();

        JobSpec ready = JobSubmission.wireReady(bare);

        assertThat(ready.getTask()).isEqualTo("no-names");
        assertThat(ready.getPseudoTargets().getQuantization()).isEqualTo(TeacherDistribution.Quantization.FP16);
        assertThat(JobSubmission.wireReady(spec).getTask()).as("a task name the file sets is kept").isEqualTo("tiny");
        assertThat(WireCodecs.JOB_SPEC.encode(ready.toBuilder().setHeader(spec.getHeader()).build())).isNotEmpty();
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), StandardCharsets.UTF_8);
    }

    /** Every record of {@code topic} whose key starts with {@code prefix}, partition by partition in offset order. */
    private static List<ConsumerRecord<byte[], byte[]>> records(String topic, String prefix) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key(record).startsWith(prefix)) {
                        records.add(record);
                    }
                }
            }
            return records;
        }
    }
}
