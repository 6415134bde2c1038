package io.kdflow.cli.soak;

import io.kdflow.messaging.KafkaClientSecurity;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.WireFormatException;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.ModelRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows one job's run in student-trainer through the checkpoints and dead-letters topics (a consumer of its own,
 * no group): the student checkpoints published, whether the final KD student is in (the trainer trained on every
 * PT record), or why the run failed (a dead letter of the job's spec).
 */
final class TrainerRun implements AutoCloseable {

    private final String jobId;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private int studentCheckpoints;
    private boolean finalStudent;
    private Optional<String> failure = Optional.empty();

    TrainerRun(String bootstrapServers, String jobId) {
        this.jobId = jobId;
        this.consumer = new KafkaConsumer<>(KafkaClientSecurity.with(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers, ConsumerConfig.CLIENT_ID_CONFIG, "kdflow-soak-" + UUID.randomUUID(),
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false), KafkaClientSecurity.ofThisProcess()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.CHECKPOINTS, Topics.DEAD_LETTERS)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what arrived since the last call. */
    void poll() {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            try {
                if (record.topic().equals(Topics.DEAD_LETTERS)) {
                    accept(WireCodecs.DEAD_LETTER.decode(record.value()));
                } else {
                    accept(WireCodecs.CHECKPOINT_EVENT.decode(record.value()));
                }
            } catch (WireFormatException e) {
                // not ours to judge: the services dead-letter bad records
            }
        }
    }

    private void accept(CheckpointEvent event) {
        if (event.getHeader().getJobId().equals(jobId) && event.getRole() != ModelRole.TEACHER) {
            studentCheckpoints++;
            finalStudent |= event.getRole() == ModelRole.STUDENT && event.getFinal();
        }
    }

    private void accept(DeadLetter letter) {
        if (failure.isEmpty() && letter.getSourceTopic().equals(Topics.JOBS)
                && letter.getHeader().getJobId().equals(jobId)) {
            failure = Optional.of(letter.getService() + ": " + letter.getReason());
        }
    }

    /** Why the job's run failed, if it did (the first dead letter of its spec). */
    Optional<String> failure() {
        return failure;
    }

    /** Checkpoint events of the job's students (baseline and KD) so far. */
    int studentCheckpoints() {
        return studentCheckpoints;
    }

    /** Whether the final KD student's checkpoint is in. */
    boolean finalStudent() {
        return finalStudent;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
