package io.kdflow.cli.soak;

import io.kdflow.messaging.KafkaClientSecurity;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer group's progress on a topic, read with the Kafka admin client: the topic's end offsets (records
 * produced) against the group's committed offsets (records done), summed over the partitions.
 */
final class ConsumerLag implements AutoCloseable {

    /** Records in the topic, records the group committed, and the difference. */
    record Position(long produced, long committed) {

        long lag() {
            return produced - committed;
        }
    }

    private final Admin admin;

    ConsumerLag(String bootstrapServers) {
        this.admin = Admin.create(KafkaClientSecurity.with(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                KafkaClientSecurity.ofThisProcess()));
    }

    /** {@code group}'s position on {@code topic} (a partition the group never committed counts from 0). */
    Position position(String group, String topic) {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(15, TimeUnit.SECONDS).get(topic);
            List<TopicPartition> partitions = description.partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(partitions.stream()
                    .collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest())))
                    .all().get(15, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
            long produced = 0;
            long done = 0;
            for (TopicPartition partition : partitions) {
                produced += ends.get(partition).offset();
                OffsetAndMetadata offset = committed.get(partition);
                done += offset == null ? 0 : offset.offset();
            }
            return new Position(produced, done);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the offsets of group " + group + " on " + topic + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the offsets of " + group, e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
