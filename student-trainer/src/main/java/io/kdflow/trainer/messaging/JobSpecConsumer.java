package io.kdflow.trainer.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.service.RecordGate;
import io.kdflow.trainer.training.TrainerJobs;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes job specs: each starts its job's run with the settings it resolves to. */
@ApplicationScoped
public class JobSpecConsumer {

    private final RecordGate gate;
    private final TrainerService trainer;

    public JobSpecConsumer(RecordGate gate, TrainerService trainer) {
        this.gate = gate;
        this.trainer = trainer;
    }

    @PostConstruct
    void registerMetrics() {
        gate.registerOutcomes(TrainerService.SERVICE, "job_started", "job_unchanged");
    }

    @Incoming(TrainerChannels.JOBS)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        gate.process(TrainerService.SERVICE, record, WireCodecs.JOB_SPEC, spec -> {
            TrainerJobs.Started started = trainer.jobs().acceptSpec(spec);
            trainer.publish(started.checkpoints());
            return started.outcome() == TrainerJobs.SpecOutcome.STARTED ? "job_started" : "job_unchanged";
        });
    }
}
