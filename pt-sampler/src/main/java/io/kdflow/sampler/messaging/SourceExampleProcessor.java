package io.kdflow.sampler.messaging;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobLimits;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.sampler.config.SamplerConfig;
import io.kdflow.sampler.sampling.ExampleInputs;
import io.kdflow.sampler.sampling.HeldInput;
import io.kdflow.sampler.sampling.SamplerJobs;
import io.kdflow.sampler.sampling.SamplingWorker;
import io.kdflow.service.DeadLetterPublisher;
import io.kdflow.service.RecordGate;
import io.kdflow.service.RejectedRecordException;
import io.kdflow.service.TeacherCheckpoints;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Consumes job specs, teacher-ready events and source examples, and hands each job's inputs and teacher to the
 * {@link SamplingWorker}, which publishes their PT records. Examples of a job whose spec has not arrived wait for it
 * ({@link SamplerJobs}); examples of a job whose teacher is not ready wait in the worker.
 *
 * <p>Threads: the examples channel's method only queues the record on an intake thread and returns, so the Kafka
 * consumer keeps polling while the teacher decodes; a record is acknowledged (and its offset may be committed)
 * when all its PT records are acknowledged by the broker, or when it is dead-lettered.
 */
@ApplicationScoped
public class SourceExampleProcessor {

    static final String SERVICE = "sampler";

    private static final Logger LOG = Logger.getLogger(SourceExampleProcessor.class);

    private final RecordGate gate;
    private final DeadLetterPublisher deadLetters;
    private final MeterRegistry registry;
    private final ModelStore store;
    private final SamplerJobs<HeldInput> jobs;
    private final SamplingWorker worker;
    private final ExecutorService intake = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pt-sampler-intake");
        thread.setDaemon(true);
        return thread;
    });
    /** Teacher directories of jobs whose spec has not arrived yet. */
    private final Map<String, Path> teachersWithoutSpec = new HashMap<>();

    public SourceExampleProcessor(
            RecordGate gate,
            DeadLetterPublisher deadLetters,
            SamplerConfig config,
            MeterRegistry registry,
            @Channel(SamplerChannels.PSEUDO_TARGETS) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
            Emitter<byte[]> pseudoTargets) {
        this.gate = gate;
        this.deadLetters = deadLetters;
        this.registry = registry;
        this.store = new ModelStore(Path.of(config.modelStore()));
        JobLimits defaults = JobLimits.DEFAULT;
        this.jobs = new SamplerJobs<>(new JobLimits(defaults.maxBatchSize(), defaults.maxTokens(),
                defaults.maxTotalSteps(), config.maxPseudoTargets()), config.maxHeldExamples());
        this.worker = new SamplingWorker(
                new PseudoTargetSends(pseudoTargets, config.sendTimeout(), config.publishRetryFor()),
                config.flushAfter(), registry);
    }

    @PostConstruct
    void registerMetrics() {
        gate.registerOutcomes(SERVICE, "queued", "held", "job_stored", "teacher_ready", "checkpoint_ignored");
        registry.gauge("kdflow.sampler.held.examples", jobs, SamplerJobs::heldCount);
    }

    @PreDestroy
    void stop() {
        intake.shutdownNow();
        worker.close();
    }

    /** Why the sampling worker stopped, if it did. */
    public Optional<Throwable> failure() {
        return worker.failure();
    }

    @Incoming(SamplerChannels.JOBS)
    @Blocking
    public void consumeJob(ConsumerRecord<String, byte[]> record) {
        gate.process(SERVICE, record, WireCodecs.JOB_SPEC, spec -> {
            SamplerJobs.Released<HeldInput> released = jobs.acceptSpec(spec);
            JobSettings settings = released.settings();
            for (HeldInput input : released.examples()) {
                if (settings.sampling().numPseudoTargets() == 0) {
                    input.reject().accept(noPseudoTargets(settings));
                } else {
                    worker.submit(settings, input);
                }
            }
            teacherOfNewSpec(settings);
            return "job_stored";
        });
    }

    @Incoming(SamplerChannels.CHECKPOINTS)
    @Blocking
    public void consumeCheckpoint(ConsumerRecord<String, byte[]> record) {
        gate.process(SERVICE, record, WireCodecs.CHECKPOINT_EVENT, event -> {
            if (event.getRole() != ModelRole.TEACHER || !event.getFinal()) {
                return "checkpoint_ignored";
            }
            teacherReady(event.getHeader().getJobId(), teacherDirectory(event));
            return "teacher_ready";
        });
    }

    @Incoming(SamplerChannels.EXAMPLES)
    public CompletionStage<Void> consume(Message<byte[]> message) {
        ConsumerRecord<String, byte[]> record = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("a record of the examples channel without Kafka metadata"))
                .getRecord();
        intake.execute(() -> {
            try {
                accept(message, record);
            } catch (RuntimeException e) {
                LOG.errorf(e, "cannot take %s[%d]@%d; it is redelivered after a restart", record.topic(),
                        record.partition(), record.offset());
                worker.fail(e);
            }
        });
        return CompletableFuture.completedFuture(null);
    }

    private void accept(Message<byte[]> message, ConsumerRecord<String, byte[]> record) {
        boolean[] kept = {false};
        gate.process(SERVICE, record, WireCodecs.SOURCE_EXAMPLE, example -> {
            HeldInput input = new HeldInput(ExampleInputs.of(example), message::ack, cause -> {
                deadLetters.publish(SERVICE, record, cause);
                registry.counter("kdflow." + SERVICE + ".records", "outcome", RecordGate.DEAD_LETTER).increment();
                message.ack();
            });
            String jobId = example.getHeader().getJobId();
            Optional<JobSettings> settings = jobs.accept(jobId, input);
            if (settings.isPresent() && settings.get().sampling().numPseudoTargets() == 0) {
                throw noPseudoTargets(settings.get());
            }
            kept[0] = true;
            settings.ifPresent(known -> worker.submit(known, input));
            return settings.isPresent() ? "queued" : "held";
        });
        if (!kept[0]) {
            message.ack();
        }
    }

    private synchronized void teacherReady(String jobId, Path directory) {
        Optional<JobSettings> settings = jobs.settings(jobId);
        if (settings.isPresent()) {
            worker.teacherReady(settings.get(), directory);
        } else {
            teachersWithoutSpec.put(jobId, directory);
        }
    }

    private synchronized void teacherOfNewSpec(JobSettings settings) {
        Path directory = teachersWithoutSpec.remove(settings.jobId());
        if (directory != null) {
            worker.teacherReady(settings, directory);
        }
    }

    /** The event's directory in the model store, checked against its checksum. */
    private Path teacherDirectory(CheckpointEvent event) {
        return TeacherCheckpoints.verifiedDirectory(store, event);
    }

    private static BadInputException noPseudoTargets(JobSettings settings) {
        return new RejectedRecordException("job " + settings.jobId() + " asks for no pseudo-targets"
                + " (JobSpec.pseudo_targets.num_pseudo_targets = 0): its examples are not for " + Topics.EXAMPLES);
    }
}
