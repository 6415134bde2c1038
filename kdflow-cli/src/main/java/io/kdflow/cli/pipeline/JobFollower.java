package io.kdflow.cli.pipeline;

import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.WireFormatException;
import io.kdflow.messaging.KafkaClientSecurity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the pipeline's output topics from the beginning into a {@link JobProgress}: pseudo-targets, checkpoint
 * events, evaluation reports, dead letters. No consumer group, so it never competes with the services.
 */
final class JobFollower implements AutoCloseable {

    static final List<String> WATCHED = List.of(Topics.PSEUDO_TARGETS, Topics.CHECKPOINTS, Topics.EVAL_REPORTS,
            Topics.DEAD_LETTERS);

    private static final Duration TOPIC_WAIT = Duration.ofSeconds(60);

    private final JobProgress progress;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private long skipped;

    JobFollower(String bootstrapServers, JobProgress progress) {
        this.progress = progress;
        this.consumer = new KafkaConsumer<>(KafkaClientSecurity.with(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "kdflow-run-follower-" + UUID.randomUUID(),
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false), KafkaClientSecurity.ofThisProcess()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : WATCHED) {
            partitionsOf(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * The topic's partitions, waiting for them: a topic created a moment ago may not be in the broker's metadata
     * yet, and an empty answer would leave the topic unread.
     */
    private List<PartitionInfo> partitionsOf(String topic) {
        Instant deadline = Instant.now().plus(TOPIC_WAIT);
        while (true) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (partitions != null && !partitions.isEmpty()) {
                return partitions;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("topic " + topic + " has no partitions after "
                        + TOPIC_WAIT.toSeconds() + " s (the run creates it before following)");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
            }
        }
    }

    JobProgress progress() {
        return progress;
    }

    /** Records that could not be decoded (another producer's bad record: the services dead-letter those). */
    long skipped() {
        return skipped;
    }

    /** Reads whatever arrived within {@code wait}. */
    void poll(Duration wait) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
            try {
                accept(record);
            } catch (WireFormatException e) {
                skipped++;
            }
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        switch (record.topic()) {
            case Topics.PSEUDO_TARGETS -> progress.accept(WireCodecs.PSEUDO_TARGET.decode(record.value()));
            case Topics.CHECKPOINTS -> progress.accept(WireCodecs.CHECKPOINT_EVENT.decode(record.value()));
            case Topics.EVAL_REPORTS -> progress.accept(WireCodecs.EVAL_REPORT.decode(record.value()));
            case Topics.DEAD_LETTERS -> progress.accept(WireCodecs.DEAD_LETTER.decode(record.value()));
            default -> throw new IllegalStateException("not a watched topic: " + record.topic());
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
