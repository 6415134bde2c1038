package io.kdflow.trainer.messaging;

import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.RecordKeys;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.service.KafkaSends;
import io.kdflow.service.RecordGate;
import io.kdflow.service.RejectedRecordException;
import io.kdflow.trainer.config.TrainerConfig;
import io.kdflow.trainer.training.MaterializingTrainer;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
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
    private final MaterializingTrainer trainer;

    public PseudoTargetConsumer(
            RecordGate gate,
            TrainerConfig config,
            Clock clock,
            @ConfigProperty(name = "quarkus.application.version") String version,
            @Channel(TrainerChannels.CHECKPOINTS) Emitter<byte[]> checkpoints) {
        this.gate = gate;
        this.config = config;
        this.checkpoints = checkpoints;
        this.trainer = new MaterializingTrainer(config.dataDir(), new ModelStore(config.modelStore()),
                config.checkpointEveryRecords(), "student-trainer/" + version + "/materialize", clock);
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
