package io.kdflow.core.wire;

import com.google.protobuf.Message;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.SourceExample;
import io.kdflow.core.wire.proto.StudentSample;
import io.kdflow.core.wire.proto.StudentScores;

/** The Kafka key each record is published under, derived from the record itself (see {@link Topics}). */
public final class RecordKeys {

    private RecordKeys() {
    }

    /**
     * The key of {@code record} on its topic.
     *
     * @throws IllegalArgumentException for a {@link DeadLetter} (its key is the rejected record's key bytes,
     *                                  {@code getKey()}) or a message that is not a kdflow.v1 record
     */
    public static String keyOf(Message record) {
        if (record instanceof JobSpec job) {
            return Topics.jobKey(job.getHeader().getJobId());
        }
        if (record instanceof SourceExample example) {
            return Topics.exampleKey(example.getHeader().getJobId(), example.getExampleId());
        }
        if (record instanceof PseudoTarget target) {
            return Topics.exampleKey(target.getHeader().getJobId(), target.getExampleId());
        }
        if (record instanceof StudentSample sample) {
            return Topics.requestKey(sample.getRequestId());
        }
        if (record instanceof StudentScores scores) {
            return Topics.requestKey(scores.getRequestId());
        }
        if (record instanceof CheckpointEvent event) {
            return Topics.checkpointKey(event.getHeader().getJobId(), event.getRole());
        }
        if (record instanceof EvalReport report) {
            return Topics.evalReportKey(report.getHeader().getJobId(), report.getRole(), report.getStep(),
                    report.getSplit());
        }
        if (record instanceof DeadLetter) {
            throw new IllegalArgumentException(
                    "a DeadLetter is keyed by the rejected record's key bytes: use getKey()");
        }
        throw new IllegalArgumentException(record.getClass().getName() + " is not a kdflow.v1 record type");
    }
}
