package io.kdflow.trainer.messaging;

import io.kdflow.core.job.JobLimits;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.RecordKeys;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.messaging.DeadLetters;
import io.kdflow.service.DeadLetterPublisher;
import io.kdflow.service.KafkaSends;
import io.kdflow.trainer.config.TrainerConfig;
import io.kdflow.trainer.jointteaching.RemoteStudentScorer;
import io.kdflow.trainer.metrics.TrainerGauges;
import io.kdflow.trainer.training.CheckpointWriter;
import io.kdflow.trainer.training.TrainerJobs;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * The trainer's jobs, shared by the spec, teacher and PT consumers, and the publisher of the checkpoint events
 * their runs make. Bad input (settings, data files, job ids, teacher directories) becomes a rejected record:
 * dead-lettered.
 */
@ApplicationScoped
public class TrainerService {

    static final String SERVICE = "trainer";

    private final TrainerConfig config;
    private final Emitter<byte[]> checkpoints;
    private final DeadLetterPublisher deadLetters;
    private final Clock clock;
    private final TrainerJobs jobs;

    public TrainerService(TrainerConfig config, Clock clock, MeterRegistry registry,
            @ConfigProperty(name = "quarkus.application.version") String version,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @Channel(TrainerChannels.CHECKPOINTS) Emitter<byte[]> checkpoints, DeadLetterPublisher deadLetters) {
        this.config = config;
        this.clock = clock;
        this.deadLetters = deadLetters;
        this.checkpoints = checkpoints;
        ModelStore store = new ModelStore(config.modelStore());
        String producer = "student-trainer/" + version;
        this.jobs = new TrainerJobs(new TrainerJobs.Setup(config.dataDir(),
                new CheckpointWriter(store, producer, clock),
                new JobLimits(config.maxBatchSize(), config.maxTokens(), JobLimits.DEFAULT.maxTotalSteps(),
                        JobLimits.DEFAULT.maxPseudoTargets()),
                Optional.of(job -> new RemoteStudentScorer(job, bootstrapServers, config.scoreTimeout(),
                        config.scoreRetryAfter(), clock, producer)),
                new TrainerGauges(registry), this::publish, this::runFailed));
    }

    TrainerJobs jobs() {
        return jobs;
    }

    /** A failed run: its job's spec dead-lettered with the reason (the job will not finish). */
    void runFailed(JobSpec spec, RuntimeException cause) {
        String job = spec.getHeader().getJobId();
        byte[] key = Topics.jobKey(job).getBytes(StandardCharsets.UTF_8);
        RuntimeException reason = new IllegalStateException("the training run of job " + job + " failed: "
                + cause.getMessage(), cause);
        DeadLetter letter = new DeadLetters(SERVICE, clock).of(Topics.JOBS, DeadLetters.UNKNOWN, DeadLetters.UNKNOWN,
                key, WireCodecs.JOB_SPEC.encode(spec), reason);
        deadLetters.publish(Topics.jobKey(job), letter);
    }

    /**
     * Publishes a checkpoint event and waits for the broker's acknowledgement, through a broker restart (up to
     * {@code trainer.publish-retry-for}): a job must not fail because the broker was away for a minute. The
     * evaluator and the CLI de-duplicate events by (job, role, step, sha256), so a copy is harmless.
     */
    void publish(CheckpointEvent event) {
        KafkaSends.sendUntilAcknowledged(checkpoints, RecordKeys.keyOf(event),
                WireCodecs.CHECKPOINT_EVENT.encode(event), config.sendTimeout(), config.publishRetryFor());
    }

    @PreDestroy
    void close() {
        jobs.close();
    }
}
