package io.kdflow.cli.report;

import io.kdflow.core.eval.MetricNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small distillation run with known answers: on dev BLEU the teacher scores 30, the best distilled
 * student 26 (steps 200 and 300 tie; 200 is chosen), the best baseline 22, so the gap closed is
 * (26 - 22) / (30 - 22) = 50 % and the speed-up 40 ms / 10 ms = 4x.
 */
final class SyntheticRun {

    static final String JOB = "shakespeare";

    private final List<EvalPoint> points = new ArrayList<>();

    static List<EvalPoint> points() {
        SyntheticRun run = new SyntheticRun();
        run.add(JOB, "t5-base", EvalRole.TEACHER, 0, "dev", 30.0, 40.0, 220_000_000);
        run.add(JOB, "t5-base", EvalRole.TEACHER, 0, "test", 29.0, 41.0, 220_000_000);
        run.add(JOB, "t5-small-kd", EvalRole.STUDENT, 100, "dev", 20.0, 10.0, 60_500_000);
        run.add(JOB, "t5-small-kd", EvalRole.STUDENT, 200, "dev", 26.0, 10.0, 60_500_000);
        run.add(JOB, "t5-small-kd", EvalRole.STUDENT, 300, "dev", 26.0, 10.0, 60_500_000);
        run.add(JOB, "t5-small-kd", EvalRole.STUDENT, 400, "dev", 25.0, 10.0, 60_500_000);
        run.add(JOB, "t5-small-kd", EvalRole.STUDENT, 200, "test", 25.5, 10.25, 60_500_000);
        run.add(JOB, "t5-small-kd", EvalRole.STUDENT, 300, "test", 27.0, 10.25, 60_500_000);
        run.add(JOB, "t5-tiny-kd", EvalRole.STUDENT, 100, "dev", 15.0, 5.0, 15_000_000);
        run.add(JOB, "t5-tiny-kd", EvalRole.STUDENT, 300, "dev", 24.0, 5.0, 15_000_000);
        run.add(JOB, "t5-small-gold", EvalRole.STUDENT_BASELINE, 100, "dev", 18.0, 10.0, 60_500_000);
        run.add(JOB, "t5-small-gold", EvalRole.STUDENT_BASELINE, 200, "dev", 22.0, 10.0, 60_500_000);
        run.add(JOB, "t5-small-gold", EvalRole.STUDENT_BASELINE, 300, "dev", 21.0, 10.0, 60_500_000);
        run.add(JOB, "t5-small-gold", EvalRole.STUDENT_BASELINE, 200, "test", 22.5, 10.25, 60_500_000);
        return List.copyOf(run.points);
    }

    static EvalPoint point(String job, String model, EvalRole role, long step, String split, double bleu,
            double latency, double params) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(MetricNames.BLEU, bleu);
        metrics.put(MetricNames.ROUGE, bleu + 20);
        metrics.put(MetricNames.CHRF, bleu + 25);
        metrics.put(MetricNames.NLL, 4.0 - bleu / 10);
        metrics.put(MetricNames.LATENCY_MS_P50, latency);
        metrics.put(MetricNames.PARAMS, params);
        return new EvalPoint(job, model, role, step, split, metrics);
    }

    private void add(String job, String model, EvalRole role, long step, String split, double bleu, double latency,
            double params) {
        points.add(point(job, model, role, step, split, bleu, latency, params));
    }
}
