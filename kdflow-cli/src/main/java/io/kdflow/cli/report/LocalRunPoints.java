package io.kdflow.cli.report;

import io.kdflow.core.eval.MetricNames;
import io.kdflow.core.local.DevPoint;
import io.kdflow.core.local.LocalResult;
import io.kdflow.core.local.PhaseOutcome;
import io.kdflow.core.local.Role;
import io.kdflow.core.local.RoleResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The evaluation points of a {@code distill --local} run: every dev evaluation of the CE baseline, the KD
 * phase and the final fine-tune (the curves over steps), and for each reported model its selected checkpoint
 * on dev and test (test with params and latency), so the summary picks the checkpoints the run selected.
 */
public final class LocalRunPoints {

    public static final String COPY_BASELINE = "copy-baseline";
    public static final String TEACHER = "teacher";
    public static final String CE_BASELINE = "ce-student";
    public static final String KD_STUDENT = "kd-student";

    private static final List<String> COSTS = List.of(MetricNames.PARAMS, MetricNames.PARAMS_NON_EMBEDDING,
            MetricNames.LATENCY_MS_P50, MetricNames.LATENCY_MS_P90);

    private LocalRunPoints() {}

    public static List<EvalPoint> of(LocalResult result) {
        String job = result.jobId();
        List<EvalPoint> points = new ArrayList<>();
        history(points, job, CE_BASELINE, EvalRole.STUDENT_BASELINE, result.baseline());
        history(points, job, KD_STUDENT, EvalRole.STUDENT, result.kd());
        result.finalFineTune().ifPresent(phase -> history(points, job, KD_STUDENT, EvalRole.STUDENT, phase));
        for (RoleResult role : result.roles()) {
            String model = role.role() == Role.TEACHER ? teacherName(result) : modelName(role.role());
            EvalRole evalRole = roleOf(role.role());
            if (!role.dev().isEmpty()) {
                Map<String, Double> dev = new HashMap<>(role.dev());
                // a model's size and speed do not depend on the split: the dev table shows them too
                COSTS.forEach(cost -> {
                    if (role.test().containsKey(cost)) {
                        dev.put(cost, role.test().get(cost));
                    }
                });
                points.add(new EvalPoint(job, model, evalRole, role.step(), "dev", finite(dev)));
            }
            if (!role.test().isEmpty()) {
                points.add(new EvalPoint(job, model, evalRole, role.step(), "test", finite(role.test())));
            }
        }
        return points;
    }

    private static void history(List<EvalPoint> points, String job, String model, EvalRole role, PhaseOutcome phase) {
        for (DevPoint point : phase.evaluations()) {
            points.add(new EvalPoint(job, model, role, point.step(), "dev", finite(point.metrics())));
        }
    }

    /** Non-finite values (a metric a split could not define) are left out of the report. */
    private static Map<String, Double> finite(Map<String, Double> metrics) {
        return metrics.entrySet().stream().filter(e -> e.getValue() != null && Double.isFinite(e.getValue()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** The teacher's directory name (e.g. {@code bart-tiny}), how the report names the teacher. */
    public static String teacherName(LocalResult result) {
        return Path.of(result.teacherDir()).getFileName().toString();
    }

    public static String modelName(Role role) {
        return switch (role) {
            case COPY_BASELINE -> COPY_BASELINE;
            case TEACHER -> TEACHER;
            case CE_BASELINE -> CE_BASELINE;
            case KD_STUDENT -> KD_STUDENT;
        };
    }

    static EvalRole roleOf(Role role) {
        return switch (role) {
            case COPY_BASELINE -> EvalRole.COPY_BASELINE;
            case TEACHER -> EvalRole.TEACHER;
            case CE_BASELINE -> EvalRole.STUDENT_BASELINE;
            case KD_STUDENT -> EvalRole.STUDENT;
        };
    }
}
