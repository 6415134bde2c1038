package io.kdflow.cli.pipeline;

import io.kdflow.cli.report.EvalPoint;
import io.kdflow.cli.report.EvalRole;
import io.kdflow.cli.report.LocalRunPoints;
import io.kdflow.core.eval.MetricNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report's points of a pipeline run, named as {@code distill --local} names them ({@link LocalRunPoints}):
 * the KD student's dev curve from the trainer's own dev evaluations ({@code dev_<metric>} of its checkpoint
 * events), then the evaluator's dev and test numbers of the teacher, the CE baseline and the final KD student (a
 * model's size and speed shown on dev too).
 */
final class PipelinePoints {

    static final String DEV_PREFIX = "dev_";
    private static final List<String> COSTS = List.of(MetricNames.PARAMS, MetricNames.PARAMS_NON_EMBEDDING,
            MetricNames.LATENCY_MS_P50, MetricNames.LATENCY_MS_P90);

    private PipelinePoints() {}

    /** @param steps the final checkpoints' steps: teacher, baseline, student */
    static List<EvalPoint> of(String job, List<JobProgress.TrainerPoint> curve, FinalComparison comparison,
            long baselineStep, long studentStep) {
        List<EvalPoint> points = new ArrayList<>();
        for (JobProgress.TrainerPoint point : curve) {
            Map<String, Double> dev = new HashMap<>();
            point.metrics().forEach((name, value) -> {
                if (name.startsWith(DEV_PREFIX) && Double.isFinite(value)) {
                    dev.put(name.substring(DEV_PREFIX.length()), value);
                }
            });
            if (!dev.isEmpty() && point.step() != studentStep) {
                points.add(new EvalPoint(job, LocalRunPoints.KD_STUDENT, EvalRole.STUDENT, point.step(), "dev", dev));
            }
        }
        add(points, job, LocalRunPoints.TEACHER, EvalRole.TEACHER, 0, comparison.teacher());
        add(points, job, LocalRunPoints.CE_BASELINE, EvalRole.STUDENT_BASELINE, baselineStep, comparison.baseline());
        add(points, job, LocalRunPoints.KD_STUDENT, EvalRole.STUDENT, studentStep, comparison.student());
        return points;
    }

    private static void add(List<EvalPoint> points, String job, String name, EvalRole role, long step,
            FinalComparison.Model model) {
        if (!model.dev().isEmpty()) {
            Map<String, Double> dev = new HashMap<>(model.dev());
            COSTS.forEach(cost -> model.cost(cost).ifPresent(value -> dev.putIfAbsent(cost, value)));
            points.add(new EvalPoint(job, name, role, step, "dev", finite(dev)));
        }
        if (!model.test().isEmpty()) {
            points.add(new EvalPoint(job, name, role, step, "test", finite(model.test())));
        }
    }

    private static Map<String, Double> finite(Map<String, Double> metrics) {
        return metrics.entrySet().stream().filter(e -> e.getValue() != null && Double.isFinite(e.getValue()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
