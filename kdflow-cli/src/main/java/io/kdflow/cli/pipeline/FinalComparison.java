package io.kdflow.cli.pipeline;

import io.kdflow.core.eval.GapClosed;
import io.kdflow.core.eval.MetricNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The comparison {@code ./kdflow run} prints at the end: teacher vs CE baseline vs KD student on dev and test
 * (BLEU, ROUGE, chrF, NLL), their parameters and latency, the student's speed-up over the teacher, and the gap
 * closed, computed here with kd-core's {@link GapClosed} from the three reports, whatever order they arrived in
 * (the evaluator adds the gap to a student's report only when teacher and baseline were reported before it).
 *
 * @param selectionMetric the job's selection metric (the headline gap)
 * @param copy the copy baseline (the source as the prediction, kd-core's {@code CopyBaseline}) on the same dev and
 *     test examples, when the CLI can read the task's files; no parameters and no latency
 */
record FinalComparison(Model teacher, Model baseline, Model student, String selectionMetric, Optional<Model> copy) {

    FinalComparison(Model teacher, Model baseline, Model student, String selectionMetric) {
        this(teacher, baseline, student, selectionMetric, Optional.empty());
    }

    /** One model's evaluator metrics on dev and test (test empty when the job has no test set). */
    record Model(String name, Map<String, Double> dev, Map<String, Double> test) {
        Model {
            dev = Map.copyOf(dev);
            test = Map.copyOf(test);
        }

        /** A split-independent number (parameters, latency): test's, else dev's. */
        OptionalDouble cost(String metric) {
            Double value = test.getOrDefault(metric, dev.get(metric));
            return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
        }
    }

    private static final List<String> QUALITY = List.of(MetricNames.BLEU, MetricNames.ROUGE, MetricNames.CHRF,
            MetricNames.NLL);

    /** {@code gap_closed_<m>} of the student on {@code split} ("dev" or "test"). */
    Map<String, Double> gapClosed(String split) {
        return GapClosed.of(metrics(student, split), metrics(teacher, split), metrics(baseline, split),
                MetricNames.GAP_METRICS);
    }

    /** Teacher latency / student latency (p50); empty without both. */
    OptionalDouble speedUp() {
        OptionalDouble t = teacher.cost(MetricNames.LATENCY_MS_P50);
        OptionalDouble s = student.cost(MetricNames.LATENCY_MS_P50);
        return t.isPresent() && s.isPresent() && s.getAsDouble() > 0
                ? OptionalDouble.of(t.getAsDouble() / s.getAsDouble()) : OptionalDouble.empty();
    }

    /** The table, one line per model and split, then speed-up and gap closed. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-12s %-5s %8s %8s %8s %8s %12s %12s", "model", "split", "BLEU", "ROUGE",
                "chrF", "NLL", "params", "latency p50"));
        for (String split : List.of("dev", "test")) {
            List<Model> models = new ArrayList<>();
            copy.ifPresent(models::add);
            models.addAll(List.of(teacher, baseline, student));
            for (Model model : models) {
                Map<String, Double> m = metrics(model, split);
                if (m.isEmpty()) {
                    continue;
                }
                List<String> values = new ArrayList<>();
                for (String metric : QUALITY) {
                    values.add(number(m.get(metric), metric.equals(MetricNames.NLL) ? "%.3f" : "%.2f"));
                }
                lines.add(String.format(Locale.ROOT, "%-12s %-5s %8s %8s %8s %8s %12s %12s", model.name(), split,
                        values.get(0), values.get(1), values.get(2), values.get(3),
                        number(model.cost(MetricNames.PARAMS), "%.0f"),
                        number(model.cost(MetricNames.LATENCY_MS_P50), "%.1f ms")));
            }
        }
        OptionalDouble speedUp = speedUp();
        lines.add("speed-up of the KD student over the teacher (latency p50): "
                + (speedUp.isPresent() ? String.format(Locale.ROOT, "%.2fx", speedUp.getAsDouble()) : "n/a"));
        for (String split : List.of("dev", "test")) {
            if (metrics(student, split).isEmpty()) {
                continue;
            }
            Double gap = gapClosed(split).get(MetricNames.GAP_CLOSED_PREFIX + selectionMetric);
            lines.add(String.format(Locale.ROOT, "gap closed on %s %s: %s", split, selectionMetric,
                    gap == null ? "n/a (teacher and baseline score the same)" : String.format(Locale.ROOT, "%.1f%%", gap)));
        }
        return lines;
    }

    /** Everything in one map (for report.json's summary). */
    Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("selection_metric", selectionMetric);
        summary.put("gap_closed_dev", gapClosed("dev"));
        summary.put("gap_closed_test", gapClosed("test"));
        OptionalDouble speedUp = speedUp();
        summary.put("speed_up_latency_p50", speedUp.isPresent() ? speedUp.getAsDouble() : null);
        return summary;
    }

    private static Map<String, Double> metrics(Model model, String split) {
        return split.equals("dev") ? model.dev() : model.test();
    }

    private static String number(Double value, String format) {
        return value == null ? "n/a" : String.format(Locale.ROOT, format, value);
    }

    private static String number(OptionalDouble value, String format) {
        return value.isPresent() ? String.format(Locale.ROOT, format, value.getAsDouble()) : "n/a";
    }
}
