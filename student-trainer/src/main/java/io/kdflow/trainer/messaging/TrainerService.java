package io.kdflow.trainer.messaging;

import io.kdflow.core.job.JobLimits;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.RecordKeys;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.service.KafkaSends;
import io.kdflow.trainer.config.TrainerConfig;
import io.kdflow.trainer.training.CheckpointWriter;
import io.kdflow.trainer.training.TrainerJobs;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * The trainer's jobs, shared by the spec and target consumers, and the publisher of the checkpoints they
 * complete. Bad input (settings, job ids, student directories) becomes a rejected record: dead-lettered.
 */
@ApplicationScoped
public class TrainerService {

    static final String SERVICE = "trainer";

    private final TrainerConfig config;
    private final Emitter<byte[]> checkpoints;
    private final TrainerJobs jobs;

    public TrainerService(TrainerConfig config, Clock clock,
            @ConfigProperty(name = "quarkus.application.version") String version,
            @Channel(TrainerChannels.CHECKPOINTS) Emitter<byte[]> checkpoints) {
        this.config = config;
        this.checkpoints = checkpoints;
        ModelStore store = new ModelStore(config.modelStore());
        String producer = "student-trainer/" + version + "/" + config.mode().name().toLowerCase(Locale.ROOT);
        this.jobs = new TrainerJobs(new TrainerJobs.Setup(config.mode() == TrainerConfig.Mode.MATERIALIZE, store,
                config.dataDir(), new CheckpointWriter(store, producer, clock),
                new JobLimits(config.maxBatchSize(), config.maxTokens(), JobLimits.DEFAULT.maxTotalSteps(),
                        JobLimits.DEFAULT.maxPseudoTargets()),
                config.defaultStudentInit(), config.defaultTotalSteps()));
    }

    TrainerJobs jobs() {
        return jobs;
    }


    /** Publishes checkpoint events and waits for the broker's acknowledgement of each. */
    void publish(List<CheckpointEvent> events) {
        for (CheckpointEvent event : events) {
            KafkaSends.sendAndWait(checkpoints, RecordKeys.keyOf(event), WireCodecs.CHECKPOINT_EVENT.encode(event),
                    config.sendTimeout());
        }
    }

    @PreDestroy
    void close() {
        jobs.close();
    }
}
