package io.kdflow.trainer.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.service.RecordGate;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes checkpoint events: a job's teacher-ready event (role TEACHER, final) lets its run start. */
@ApplicationScoped
public class TeacherConsumer {

    private final RecordGate gate;
    private final TrainerService trainer;

    public TeacherConsumer(RecordGate gate, TrainerService trainer) {
        this.gate = gate;
        this.trainer = trainer;
    }

    @PostConstruct
    void registerMetrics() {
        gate.registerOutcomes(TrainerService.SERVICE, "teacher_ready", "not_a_teacher");
    }

    @Incoming(TrainerChannels.TEACHERS)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        gate.process(TrainerService.SERVICE, record, WireCodecs.CHECKPOINT_EVENT,
                event -> trainer.jobs().acceptCheckpoint(event) ? "teacher_ready" : "not_a_teacher");
    }
}
