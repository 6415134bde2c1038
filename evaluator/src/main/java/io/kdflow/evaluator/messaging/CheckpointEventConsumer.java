package io.kdflow.evaluator.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.evaluator.evaluation.CheckpointRequest;
import io.kdflow.evaluator.evaluation.EvaluationService;
import io.kdflow.evaluator.runpage.RunBoard;
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
    private final RunBoard board;

    public CheckpointEventConsumer(RecordGate gate, EvaluationService evaluations, RunBoard board) {
        this.gate = gate;
        this.evaluations = evaluations;
        this.board = board;
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
        String outcome;
        if (!event.getFinal()) {
            outcome = evaluations.note(event);
        } else {
            CheckpointId id = new CheckpointId(event.getHeader().getJobId(), event.getRole(), event.getStep(),
                    event.getSha256());
            outcome = evaluations.evaluate(new CheckpointRequest(id, event.getUri(), true));
        }
        board.checkpoint(event, outcome); // the run page's curves and trainer counters (not for a dead letter)
        return outcome;
    }
}
