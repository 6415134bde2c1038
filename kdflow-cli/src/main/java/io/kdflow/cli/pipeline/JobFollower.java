package io.kdflow.cli.demo;

import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.WireFormatException;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows one job through the pipeline by reading the output topics from the beginning (no consumer
 * group, so it never competes with the services): targets, checkpoints, evaluation reports, dead letters.
 */
final class PipelineMonitor implements AutoCloseable {

    private static final List<String> WATCHED = List.of(Topics.PSEUDO_TARGETS, Topics.CHECKPOINTS,
            Topics.EVAL_REPORTS, Topics.DEAD_LETTERS);

    private final String jobId;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private long targets;
    private final List<CheckpointEvent> checkpoints = new ArrayList<>();
    private final List<EvalReport> reports = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();

    PipelineMonitor(String bootstrapServers, String jobId) {
        this.jobId = jobId;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "kdflow-demo-monitor-" + UUID.randomUUID(),
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : WATCHED) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads whatever arrived within {@code wait}. */
    void poll(Duration wait) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
            try {
                accept(record);
            } catch (WireFormatException e) {
                // Another producer's bad record: the services dead-letter those; the monitor just skips it.
            }
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        switch (record.topic()) {
            case Topics.PSEUDO_TARGETS -> {
                PseudoTarget target = WireCodecs.PSEUDO_TARGET.decode(record.value());
                if (target.getHeader().getJobId().equals(jobId)) {
                    targets++;
                }
            }
            case Topics.CHECKPOINTS -> {
                CheckpointEvent event = WireCodecs.CHECKPOINT_EVENT.decode(record.value());
                if (event.getHeader().getJobId().equals(jobId)) {
                    checkpoints.add(event);
                }
            }
            case Topics.EVAL_REPORTS -> {
                EvalReport report = WireCodecs.EVAL_REPORT.decode(record.value());
                if (report.getHeader().getJobId().equals(jobId)) {
                    reports.add(report);
                }
            }
            default -> {
                DeadLetter letter = WireCodecs.DEAD_LETTER.decode(record.value());
                if (letter.getHeader().getJobId().equals(jobId) || letter.getHeader().getJobId().isEmpty()) {
                    deadLetters.add(letter);
                }
            }
        }
    }

    long targets() {
        return targets;
    }

    List<CheckpointEvent> checkpoints() {
        return List.copyOf(checkpoints);
    }

    List<EvalReport> reports() {
        return List.copyOf(reports);
    }

    List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
