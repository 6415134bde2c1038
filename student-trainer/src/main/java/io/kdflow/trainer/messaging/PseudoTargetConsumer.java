package io.kdflow.trainer.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.service.RecordGate;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes targets (gold and pseudo-targets) and publishes the checkpoint events they complete. */
@ApplicationScoped
public class PseudoTargetConsumer {

    private final RecordGate gate;
    private final TrainerService trainer;

    public PseudoTargetConsumer(RecordGate gate, TrainerService trainer) {
        this.gate = gate;
        this.trainer = trainer;
    }

    @PostConstruct
    void registerMetrics() {
        gate.registerOutcomes(TrainerService.SERVICE, "stored", "held", "checkpointed");
    }

    @Incoming(TrainerChannels.PSEUDO_TARGETS)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        gate.process(TrainerService.SERVICE, record, WireCodecs.PSEUDO_TARGET, target -> {
            Optional<List<CheckpointEvent>> events = trainer.jobs()
                    .acceptTarget(target, record.topic(), record.partition(), record.offset());
            if (events.isEmpty()) {
                return "held";
            }
            trainer.publish(events.get());
            return events.get().isEmpty() ? "stored" : "checkpointed";
        });
    }
}
