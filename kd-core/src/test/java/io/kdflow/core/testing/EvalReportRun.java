package io.kdflow.core.testing;

import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The EvalReport records of one small run, as the evaluator publishes them (one per checkpoint and split), for
 * tests that the evaluator and the CLI report select the same checkpoints and gap closed. On dev:
 * <pre>
 *   role              step  bleu  nll
 *   teacher              0  30.0  1.0
 *   student_baseline   100  18.0  2.2
 *   student_baseline   200  22.0  2.0     best on both metrics
 *   student_baseline   300  21.0  2.1
 *   student            300  26.0  1.4     (delivered before step 200)
 *   student            100  20.0  1.8
 *   student            200  26.0  1.5     bleu: ties with 300, the earlier step wins
 *   student            400  25.0  1.4     nll: ties with 300, the earlier step (300) wins
 * </pre>
 * Test is dev with bleu - 0.5 and nll + 0.05. So on bleu the best student is step 200 and closes
 * (26 - 22) / (30 - 22) = 50 % on dev and (25.5 - 21.5) / (29.5 - 21.5) = 50 % on test; on nll (lower is
 * better) it is step 300, closing (1.4 - 2.0) / (1.0 - 2.0) = 60 % on dev and (1.45 - 2.05) / (1.05 - 2.05) =
 * 60 % on test.
 */
public final class EvalReportRun {

    public static final String JOB = "same-selection";

    /** Per selection metric: the best student's step and its gap closed on dev and test, in percent. */
    public record Expected(long bestStudentStep, double gapClosedDev, double gapClosedTest) {}

    public static final Map<String, Expected> EXPECTED = Map.of(
            "bleu", new Expected(200, 50.0, 50.0),
            "nll", new Expected(300, 60.0, 60.0));

    private EvalReportRun() {}

    /** Every report, in delivery order (dev before test per checkpoint). */
    public static List<EvalReport> records() {
        List<EvalReport> reports = new ArrayList<>();
        add(reports, ModelRole.TEACHER, 0, 30.0, 1.0);
        add(reports, ModelRole.STUDENT_BASELINE, 100, 18.0, 2.2);
        add(reports, ModelRole.STUDENT_BASELINE, 200, 22.0, 2.0);
        add(reports, ModelRole.STUDENT_BASELINE, 300, 21.0, 2.1);
        add(reports, ModelRole.STUDENT, 300, 26.0, 1.4);
        add(reports, ModelRole.STUDENT, 100, 20.0, 1.8);
        add(reports, ModelRole.STUDENT, 200, 26.0, 1.5);
        add(reports, ModelRole.STUDENT, 400, 25.0, 1.4);
        return List.copyOf(reports);
    }

    private static void add(List<EvalReport> reports, ModelRole role, long step, double bleu, double nll) {
        reports.add(report(role, step, Split.DEV, bleu, nll));
        reports.add(report(role, step, Split.TEST, bleu - 0.5, nll + 0.05));
    }

    private static EvalReport report(ModelRole role, long step, Split split, double bleu, double nll) {
        return EvalReport.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(JOB))
                .setRole(role)
                .setStep(step)
                .setSplit(split)
                .setCheckpointUri("store:" + JOB + "/" + role.name().toLowerCase(java.util.Locale.ROOT) + "-" + step)
                .setCheckpointSha256(String.format("%064d", step))
                .putMetrics("bleu", bleu)
                .putMetrics("nll", nll)
                .setNumExamples(10)
                .build();
    }
}
