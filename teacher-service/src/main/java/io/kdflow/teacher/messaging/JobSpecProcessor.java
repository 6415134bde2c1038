package io.kdflow.teacher.messaging;

import io.kdflow.core.job.JobSettings;
import io.kdflow.core.wire.RecordKeys;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.Provenance;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.service.DeadLetterPublisher;
import io.kdflow.service.KafkaSends;
import io.kdflow.service.RecordGate;
import io.kdflow.teacher.config.TeacherConfig;
import io.kdflow.teacher.jobs.ReadyTeacher;
import io.kdflow.teacher.jobs.TeacherResolver;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes job specs and publishes each job's teacher-ready event on {@code kdflow.checkpoints.v1} (key
 * {@code <job>/teacher}, role TEACHER, final, step 0, the store URI and the sha256 of its model.safetensors) once
 * {@link TeacherResolver} has the teacher in the model store. A spec read again (every start reads them all)
 * publishes the same URI and checksum again: the teacher comes from the cache.
 */
@ApplicationScoped
public class JobSpecProcessor {

    static final String SERVICE = "teacher";

    private static final Logger LOG = Logger.getLogger(JobSpecProcessor.class);

    private final RecordGate gate;
    private final DeadLetterPublisher deadLetters;
    private final TeacherResolver resolver;
    private final TeacherConfig config;
    private final MeterRegistry registry;
    private final Clock clock;
    private final String producer;
    private final Emitter<byte[]> checkpoints;

    public JobSpecProcessor(
            RecordGate gate,
            DeadLetterPublisher deadLetters,
            TeacherResolver resolver,
            TeacherConfig config,
            MeterRegistry registry,
            Clock clock,
            @ConfigProperty(name = "quarkus.application.version") String version,
            @Channel(TeacherChannels.CHECKPOINTS) Emitter<byte[]> checkpoints) {
        this.gate = gate;
        this.deadLetters = deadLetters;
        this.resolver = resolver;
        this.config = config;
        this.registry = registry;
        this.clock = clock;
        this.producer = "teacher-service/" + version;
        this.checkpoints = checkpoints;
    }

    @PostConstruct
    void registerMetrics() {
        gate.registerOutcomes(SERVICE, "teacher_queued", "no_teacher");
        registry.counter("kdflow.teacher.teachers.ready");
    }

    @Incoming(TeacherChannels.JOBS)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        gate.process(SERVICE, record, WireCodecs.JOB_SPEC, spec -> {
            JobSettings settings = JobSettings.resolve(spec); // a bad spec is dead-lettered here
            if (settings.teacher().isEmpty()) {
                LOG.infof("job %s has no teacher section: nothing to resolve", settings.jobId());
                return "no_teacher";
            }
            resolver.submit(spec, this::publish, bad -> {
                deadLetters.publish(SERVICE, record, bad);
                registry.counter("kdflow." + SERVICE + ".records", "outcome", RecordGate.DEAD_LETTER).increment();
            });
            return "teacher_queued";
        });
    }

    private void publish(ReadyTeacher teacher) {
        CheckpointEvent event = CheckpointEvent.newBuilder()
                .setHeader(RecordHeader.newBuilder()
                        .setSchemaVersion(Wire.SCHEMA_VERSION)
                        .setJobId(teacher.jobId())
                        .setProvenance(Provenance.newBuilder().setProducer(producer))
                        .setCreatedUnixMs(clock.millis()))
                .setRole(ModelRole.TEACHER)
                .setStep(0)
                .setUri(teacher.uri())
                .setSha256(teacher.sha256())
                .setFinal(true)
                .build();
        KafkaSends.sendUntilAcknowledged(checkpoints, RecordKeys.keyOf(event),
                WireCodecs.CHECKPOINT_EVENT.encode(event), config.sendTimeout(), config.publishRetryFor());
        registry.counter("kdflow.teacher.teachers.ready").increment();
    }
}
