package io.kdflow.trainer.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.service.RecordGate;
import io.kdflow.trainer.training.TrainerJobs;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes job specs: each is checked, and its job's run starts once its teacher is ready. */
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
        gate.registerOutcomes(TrainerService.SERVICE, "job_accepted", "job_started", "job_unchanged");
    }

    @Incoming(TrainerChannels.JOBS)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        gate.process(TrainerService.SERVICE, record, WireCodecs.JOB_SPEC, spec -> {
            TrainerJobs.SpecOutcome outcome = trainer.jobs().acceptSpec(spec);
            return "job_" + outcome.name().toLowerCase(Locale.ROOT);
        });
    }
}
