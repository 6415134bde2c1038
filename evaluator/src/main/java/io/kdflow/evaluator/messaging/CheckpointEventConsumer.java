package io.kdflow.evaluator.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.evaluator.evaluation.CheckpointRequest;
import io.kdflow.evaluator.evaluation.EvaluationService;
import io.kdflow.evaluator.state.CheckpointId;
import io.kdflow.service.RecordGate;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes checkpoint events and evaluates each final checkpoint (teacher, student baseline, student) once; a
 * trainer's intermediate ({@code final = false}) checkpoints are only noted (logged, their metrics as gauges).
 */
@ApplicationScoped
public class CheckpointEventConsumer {

    static final String SERVICE = "evaluator";

    private final RecordGate gate;
    private final EvaluationService evaluations;

    public CheckpointEventConsumer(RecordGate gate, EvaluationService evaluations) {
        this.gate = gate;
        this.evaluations = evaluations;
    }

    @PostConstruct
    void registerMetrics() {
        gate.registerOutcomes(SERVICE, EvaluationService.REPORTED, EvaluationService.DUPLICATE,
                EvaluationService.TEACHER_KNOWN, EvaluationService.NOT_FINAL, JobSpecConsumer.JOB_STORED);
    }

    @Incoming(EvaluatorChannels.CHECKPOINTS)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        gate.process(SERVICE, record, WireCodecs.CHECKPOINT_EVENT, this::evaluate);
    }

    private String evaluate(CheckpointEvent event) {
        if (!event.getFinal()) {
            return evaluations.note(event);
        }
        CheckpointId id = new CheckpointId(event.getHeader().getJobId(), event.getRole(), event.getStep(),
                event.getSha256());
        return evaluations.evaluate(new CheckpointRequest(id, event.getUri(), true));
    }
}
