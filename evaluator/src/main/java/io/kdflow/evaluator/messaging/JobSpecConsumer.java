package io.kdflow.evaluator.messaging;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.evaluator.evaluation.CheckpointRequest;
import io.kdflow.evaluator.evaluation.EvaluationService;
import io.kdflow.evaluator.runpage.RunBoard;
import io.kdflow.evaluator.state.CheckpointId;
import io.kdflow.evaluator.state.JobSpecs;
import io.kdflow.service.RecordGate;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads job specs: their evaluation settings (validated on arrival) apply to the job's later checkpoints, and a
 * spec that names a trained teacher ({@code teacher_uri}) has that teacher evaluated once, as the job's
 * reference (step 0).
 */
@ApplicationScoped
public class JobSpecConsumer {

    /** Outcome of a spec without a teacher to evaluate. */
    static final String JOB_STORED = "job_stored";

    private final RecordGate gate;
    private final JobSpecs jobs;
    private final EvaluationService evaluations;
    private final RunBoard board;

    public JobSpecConsumer(RecordGate gate, JobSpecs jobs, EvaluationService evaluations, RunBoard board) {
        this.gate = gate;
        this.jobs = jobs;
        this.evaluations = evaluations;
        this.board = board;
    }

    @Incoming(EvaluatorChannels.JOBS)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        gate.process(CheckpointEventConsumer.SERVICE, record, WireCodecs.JOB_SPEC, this::accept);
    }

    private String accept(JobSpec job) {
        jobs.put(job);
        evaluations.settings(job.getHeader().getJobId()); // a bad setting dead-letters the spec (and its checkpoints)
        evaluations.prompt(job.getHeader().getJobId()); // so does a prompt template without {source}
        board.job(job);
        if (job.getTeacherUri().isEmpty()) {
            return JOB_STORED;
        }
        String sha = evaluations.contentSha256(job.getTeacherUri());
        CheckpointId id = new CheckpointId(job.getHeader().getJobId(), ModelRole.TEACHER, 0, sha);
        return evaluations.evaluate(new CheckpointRequest(id, job.getTeacherUri(), false));
    }
}
