package io.kdflow.trainer.messaging;

import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.RecordKeys;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.service.KafkaSends;
import io.kdflow.service.RecordGate;
import io.kdflow.service.RejectedRecordException;
import io.kdflow.trainer.config.TrainerConfig;
import io.kdflow.trainer.training.CheckpointWriter;
import io.kdflow.trainer.training.CrossEntropyTrainer;
import io.kdflow.trainer.training.MaterializingTrainer;
import io.kdflow.trainer.training.TrainingMode;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes targets (gold and pseudo-targets) and publishes checkpoint events. */
@ApplicationScoped
public class PseudoTargetConsumer {

    static final String SERVICE = "trainer";

    private final RecordGate gate;
    private final TrainerConfig config;
    private final Emitter<byte[]> checkpoints;
    private final TrainingMode trainer;

    public PseudoTargetConsumer(
            RecordGate gate,
            TrainerConfig config,
            Clock clock,
            @ConfigProperty(name = "quarkus.application.version") String version,
            @Channel(TrainerChannels.CHECKPOINTS) Emitter<byte[]> checkpoints) {
        this.gate = gate;
        this.config = config;
        this.checkpoints = checkpoints;
        this.trainer = trainingMode(config, new ModelStore(config.modelStore()), version, clock);
    }

    private static TrainingMode trainingMode(TrainerConfig config, ModelStore store, String version, Clock clock) {
        String producer = "student-trainer/" + version + "/" + config.mode().name().toLowerCase(Locale.ROOT);
        CheckpointWriter checkpoints = new CheckpointWriter(store, producer, clock);
        return switch (config.mode()) {
            case MATERIALIZE -> new MaterializingTrainer(config.dataDir(), checkpoints, config.checkpointEveryRecords());
            case CROSS_ENTROPY -> new CrossEntropyTrainer(
                    store.resolve(config.studentInit().orElseThrow(() -> new IllegalArgumentException(
                            "trainer.student-init is required when trainer.mode=cross-entropy"))),
                    config.dataDir(), checkpoints,
                    new CrossEntropyTrainer.Settings(config.batchSize(), config.learningRate(), config.warmupSteps(),
                            config.totalSteps(), config.weightDecay(), config.checkpointEverySteps(),
                            config.maxSourceTokens(), config.maxTargetTokens()));
        };
    }

    @PostConstruct
    void registerMetrics() {
        gate.registerOutcomes(SERVICE, "stored", "checkpointed");
    }

    @PreDestroy
    void close() {
        trainer.close();
    }

    @Incoming(TrainerChannels.PSEUDO_TARGETS)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        gate.process(SERVICE, record, WireCodecs.PSEUDO_TARGET, target -> {
            Optional<CheckpointEvent> event;
            try {
                event = trainer.accept(target, record.topic(), record.partition(), record.offset());
            } catch (IllegalArgumentException e) {
                throw new RejectedRecordException(e.getMessage(), e);
            }
            if (event.isEmpty()) {
                return "stored";
            }
            KafkaSends.sendAndWait(checkpoints, RecordKeys.keyOf(event.get()),
                    WireCodecs.CHECKPOINT_EVENT.encode(event.get()), config.sendTimeout());
            return "checkpointed";
        });
    }
}
