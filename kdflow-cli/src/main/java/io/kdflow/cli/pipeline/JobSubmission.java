package io.kdflow.cli.demo;

import io.kdflow.cli.jsonl.JsonLine;
import io.kdflow.core.wire.RecordKeys;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.Provenance;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.SourceExample;
import io.kdflow.core.wire.proto.Split;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Publishes a demo job: its JobSpec and its source examples, as the CLI does for any job. */
final class Examples implements AutoCloseable {

    private static final int PARTITIONS = 4;

    private final String bootstrapServers;
    private final String jobId;
    private final KafkaProducer<byte[], byte[]> producer;

    Examples(String bootstrapServers, String jobId) {
        this.bootstrapServers = bootstrapServers;
        this.jobId = jobId;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Creates the topics with {@value #PARTITIONS} partitions; existing ones are kept. */
    void createTopics(List<String> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (String topic : topics) {
                NewTopic newTopic = new NewTopic(topic, PARTITIONS, (short) 1);
                if (topic.equals(Topics.JOBS)) {
                    newTopic.configs(Map.of("cleanup.policy", "compact"));
                }
                try {
                    admin.createTopics(List.of(newTopic)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    void publishJob(DemoJob job) {
        JobSpec spec = job.spec(header());
        await(List.of(send(Topics.JOBS, RecordKeys.keyOf(spec), WireCodecs.JOB_SPEC.encode(spec))));
    }

    /** Publishes the labeled training examples and waits until the broker has them all. */
    void publishTrain(List<JsonLine> lines) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (JsonLine line : lines) {
            SourceExample example = SourceExample.newBuilder()
                    .setHeader(header())
                    .setExampleId(line.id())
                    .setSplit(Split.TRAIN)
                    .setSource(line.string("source"))
                    .addReferences(line.string("target"))
                    .build();
            sends.add(send(Topics.EXAMPLES, RecordKeys.keyOf(example), WireCodecs.SOURCE_EXAMPLE.encode(example)));
        }
        await(sends);
    }

    private RecordHeader header() {
        return RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(jobId)
                .setProvenance(Provenance.newBuilder().setProducer("kdflow-cli/demo").setSeed(DemoJob.SEED))
                .setCreatedUnixMs(System.currentTimeMillis()).build();
    }

    private Future<RecordMetadata> send(String topic, String key, byte[] value) {
        return producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    private static void await(List<Future<RecordMetadata>> sends) {
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker rejected a record: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
