package io.kdflow.cli.pipeline;

import io.kdflow.core.job.JobSettings;
import io.kdflow.core.pt.PtInput;
import io.kdflow.core.wire.RecordKeys;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.Provenance;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.SourceExample;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.messaging.KafkaClientSecurity;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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

/**
 * Submits a job: creates the topics, publishes its {@link JobSpec} on {@code kdflow.jobs.v1} (key = job id) and
 * the sampler's inputs on {@code kdflow.examples.v1} (key {@code <job>/<id>}) in their order, through one
 * idempotent producer, so that the broker keeps the order of each partition.
 */
final class JobSubmission implements AutoCloseable {

    /** Partitions of the topics the CLI creates: the replicas of a service scale up to this. */
    static final int PARTITIONS = 4;
    static final String PRODUCER = "kdflow-cli/run";

    private final String bootstrapServers;
    private final Clock clock;
    private final KafkaProducer<byte[], byte[]> producer;

    JobSubmission(String bootstrapServers, Clock clock) {
        this.bootstrapServers = bootstrapServers;
        this.clock = clock;
        this.producer = new KafkaProducer<>(KafkaClientSecurity.with(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers, ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                KafkaClientSecurity.ofThisProcess()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Creates the topics with {@value #PARTITIONS} partitions (jobs compacted); existing ones are kept. */
    void createTopics(List<String> topics) {
        try (Admin admin = Admin.create(KafkaClientSecurity.with(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), KafkaClientSecurity.ofThisProcess()))) {
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

    /** Publishes the spec (its header stamped with this producer and the time) and waits for the broker. */
    JobSpec publishJob(JobSpec spec) {
        JobSpec stamped = wireReady(spec).toBuilder().setHeader(header(spec.getHeader().getJobId(),
                spec.getTraining().getSeed())).build();
        await(List.of(send(Topics.JOBS, RecordKeys.keyOf(stamped), WireCodecs.JOB_SPEC.encode(stamped))));
        return stamped;
    }

    /**
     * The spec with what the wire asks of a published JobSpec and a job file may leave out, filled with the values
     * the job resolves to anyway: the task name (the job's name when the file has no {@code task.name}) and the
     * PT quantization (the default, when the file sets a distribution top-k but no quantization), so the services
     * run the same job.
     */
    static JobSpec wireReady(JobSpec spec) {
        JobSpec.Builder ready = spec.toBuilder();
        if (spec.getTask().isEmpty()) {
            ready.setTask(spec.getHeader().getJobId());
        }
        if (spec.getPseudoTargets().getDistributionTopK() != 0 && spec.getPseudoTargets().getQuantization()
                == TeacherDistribution.Quantization.QUANTIZATION_UNSPECIFIED) {
            ready.setPseudoTargets(spec.getPseudoTargets().toBuilder()
                    .setQuantization(JobSettings.resolve(spec).sampling().quantization()));
        }
        return ready.build();
    }

    /** Publishes the inputs in order (labeled: references = the gold target) and waits until the broker has all. */
    void publishInputs(String jobId, long seed, List<PtInput> inputs) {
        RecordHeader header = header(jobId, seed);
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (PtInput input : inputs) {
            SourceExample.Builder example = SourceExample.newBuilder().setHeader(header)
                    .setExampleId(input.exampleId()).setSplit(input.split()).setSource(input.source());
            if (input.goldTarget() != null) {
                example.addReferences(input.goldTarget());
            }
            SourceExample record = example.build();
            sends.add(send(Topics.EXAMPLES, RecordKeys.keyOf(record), WireCodecs.SOURCE_EXAMPLE.encode(record)));
        }
        await(sends);
    }

    private RecordHeader header(String jobId, long seed) {
        return RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(jobId)
                .setProvenance(Provenance.newBuilder().setProducer(PRODUCER).setSeed(seed))
                .setCreatedUnixMs(clock.millis()).build();
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
