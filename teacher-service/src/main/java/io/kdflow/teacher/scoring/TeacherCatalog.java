package io.kdflow.teacher.scoring;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.service.KafkaClientConfig;
import io.kdflow.service.RejectedRecordException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The jobs and teachers the scorer knows: a plain consumer (no group, every partition from the beginning) reads
 * {@code kdflow.jobs.v1} and the teacher-ready events (role TEACHER) of {@code kdflow.checkpoints.v1} in a
 * background thread. A sample of a job not seen yet waits until the reader has caught up with the topics' ends as
 * they were when it asked, so a sample that follows its job's records is never rejected for being early.
 */
@ApplicationScoped
public class TeacherCatalog implements ScoringJobs {

    private static final Logger LOG = Logger.getLogger(TeacherCatalog.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String bootstrapServers;
    private final Map<String, JobSpec> specs = new ConcurrentHashMap<>();
    private final Map<String, CheckpointEvent> teachers = new ConcurrentHashMap<>();
    private final Object progress = new Object();
    private volatile boolean caughtUpOnce;
    private volatile long caughtUpAsOfNanos;
    private volatile boolean running = true;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread reader;

    public TeacherCatalog(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    @Override
    public ScoringJob await(String jobId, Duration wait) {
        start();
        long asked = System.nanoTime();
        long deadline = asked + wait.toNanos();
        synchronized (progress) {
            while (!(specs.containsKey(jobId) && teachers.containsKey(jobId))
                    && !(caughtUpOnce && caughtUpAsOfNanos - asked >= 0)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    progress.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for job " + jobId, e);
                }
            }
        }
        JobSpec spec = specs.get(jobId);
        if (spec == null) {
            throw new RejectedRecordException("StudentSample.header.job_id: unknown job '" + jobId + "' (no JobSpec"
                    + " on " + Topics.JOBS + ")");
        }
        CheckpointEvent teacher = teachers.get(jobId);
        if (teacher == null) {
            throw new RejectedRecordException("StudentSample.header.job_id: job '" + jobId + "' has no teacher-ready"
                    + " event (role TEACHER on " + Topics.CHECKPOINTS + ")");
        }
        try {
            return new ScoringJob(JobSettings.resolve(spec), teacher);
        } catch (BadInputException e) {
            throw new RejectedRecordException("StudentSample.header.job_id: job '" + jobId + "' has an invalid"
                    + " JobSpec: " + e.getMessage(), e);
        }
    }

    private synchronized void start() {
        if (reader != null) {
            return;
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "teacher-service-scoring-catalog");
        props.putAll(KafkaClientConfig.security()); // SASL/TLS like the SmallRye channels
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        reader = new Thread(this::read, "teacher-catalog");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            List<TopicPartition> assigned = List.of();
            while (running) {
                long pollStarted = System.nanoTime();
                boolean bothTopics = assigned.stream().map(TopicPartition::topic).distinct().count() == 2;
                if (!bothTopics) {
                    assigned = partitions(); // topics created after the service started
                    consumer.assign(assigned);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    accept(record);
                }
                // Caught up only counts with both topics read: a missing one may be about to be created.
                if (bothTopics && caughtUp(assigned)) {
                    synchronized (progress) {
                        caughtUpAsOfNanos = pollStarted;
                        caughtUpOnce = true;
                        progress.notifyAll();
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("teacher catalog stopped reading", e);
        } finally {
            consumer.close();
        }
    }

    private List<TopicPartition> partitions() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.JOBS, Topics.CHECKPOINTS)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            if (infos != null) {
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
        }
        return partitions;
    }

    private boolean caughtUp(List<TopicPartition> assigned) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
        return assigned.stream().allMatch(tp -> consumer.position(tp) >= ends.getOrDefault(tp, 0L));
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.topic().equals(Topics.JOBS)) {
                if (record.value() != null) {
                    JobSpec spec = WireCodecs.JOB_SPEC.decode(record.value());
                    specs.put(spec.getHeader().getJobId(), spec);
                }
            } else if (record.value() != null) {
                CheckpointEvent event = WireCodecs.CHECKPOINT_EVENT.decode(record.value());
                if (event.getRole() == ModelRole.TEACHER && event.getFinal()) {
                    teachers.put(event.getHeader().getJobId(), event);
                }
            }
        } catch (BadInputException e) { // the owning services dead-letter it; here it is just not a job we know
            LOG.warnf("teacher catalog: skipping %s[%d]@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
    }
}
