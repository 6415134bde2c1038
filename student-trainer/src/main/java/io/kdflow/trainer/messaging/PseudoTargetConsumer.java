package io.kdflow.trainer.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.service.RecordGate;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes PT records (GOLD and TEACHER): stored once per job (a redelivery is counted, not stored) and handed to
 * the job's run, whose KD epochs wait for them.
 */
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
        gate.registerOutcomes(TrainerService.SERVICE, "stored", "redelivered");
    }

    @Incoming(TrainerChannels.PSEUDO_TARGETS)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        gate.process(TrainerService.SERVICE, record, WireCodecs.PSEUDO_TARGET, target ->
                trainer.jobs().acceptTarget(target, record.topic(), record.partition(), record.offset())
                        ? "stored" : "redelivered");
    }
}
