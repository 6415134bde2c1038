package io.kdflow.evaluator.state;

import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.Split;

/** Evaluation reports as the evaluator publishes them, for the tests of what is on the reports topic. */
final class TestReports {

    private TestReports() {}

    static EvalReport report(CheckpointId id, Split split, double nll, boolean best) {
        return EvalReport.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(id.job())
                        .setCreatedUnixMs(1))
                .setRole(id.role())
                .setStep(id.step())
                .setSplit(split)
                .setCheckpointUri("store:" + id.job() + "/run/kd/best")
                .setCheckpointSha256(id.sha256())
                .putMetrics("nll", nll)
                .setNumExamples(4)
                .setBestSoFar(best)
                .build();
    }
}
