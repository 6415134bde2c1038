package io.kdflow.core.study;

import io.kdflow.core.eval.MetricNames;
import io.kdflow.core.local.Role;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The study's {@code report.md}: the chain of choices, a table per stage (dev and test BLEU, ROUGE and NLL of
 * each option's student, its mean gap closed and its wins, beside the teacher, the CE student S and the trivial
 * baseline), the computational table and the runs (key, seed, wall time, reused or not, job file).
 */
public final class StudyMarkdown {

    /**
     * What the report is about.
     *
     * @param command the command line that made it
     * @param plots plot file per stage, relative to the report (absent: no plot)
     * @param compute the computational table's rows by model name (empty: not measured)
     * @param wallSeconds the study process's wall time
     */
    public record Context(StudyTask task, StudyProfile profile, String date, String command,
            Map<Stage, String> plots, Map<String, Map<String, Double>> compute, double wallSeconds) {}

    private StudyMarkdown() {}

    public static String write(List<StageResult> stages, Context c) {
        StringBuilder md = new StringBuilder();
        md.append("# Study: ").append(c.task().name()).append(", profile ").append(c.profile().name()).append("\n\n");
        md.append("Made on ").append(c.date()).append(" by `").append(c.command()).append("` (task file `")
                .append(c.task().file()).append("`), in ").append(duration(c.wallSeconds()))
                .append(" of wall time in this process (reused runs cost nothing here).\n\n");
        md.append("Scores: BLEU (sacrebleu), ROUGE (mean of R-1/R-2/R-L F1) and NLL (mean gold token NLL, nats) of")
                .append(" each option's student; gap closed = 100 (KD - S) / (T - S) averaged over the three")
                .append(" metrics (S: the run's student fine-tuned on gold, T: the teacher); wins: one per metric to")
                .append(" the stage's best option (ties: each). S1 and S2 compare students fine-tuned on gold, so")
                .append(" they have no gap closed; their choice is the best dev BLEU, the others' the best dev gap")
                .append(" closed. A stage's chosen option carries into the next stages.\n\n");
        chain(md, stages);
        for (StageResult stage : stages) {
            if (stage.notRun().isEmpty()) {
                stageTable(md, stage, c);
            } else if (!stage.notRun().get().startsWith("not selected")) {
                md.append("## ").append(stage.stage()).append(" ").append(stage.stage().title()).append("\n\n")
                        .append("Not run: ").append(stage.notRun().get()).append(".\n\n");
            }
        }
        computeTable(md, c.compute());
        runs(md, stages);
        return md.toString();
    }

    private static void chain(StringBuilder md, List<StageResult> stages) {
        md.append("## The chain\n\n| stage | chosen on dev | the paper's choice | runs |\n|---|---|---|---|\n");
        for (StageResult s : stages) {
            String paper = StudyProfile.PAPER_CHOICE.get(s.stage());
            String chosen = s.notRun().isPresent() ? paper + " (carried: " + s.notRun().get() + ")" : s.chosen();
            md.append("| ").append(s.stage()).append(" ").append(s.stage().title()).append(" | ").append(chosen)
                    .append(" | ").append(paper).append(" | ").append(s.options().size()).append(" |\n");
        }
        md.append('\n');
    }

    private static void stageTable(StringBuilder md, StageResult stage, Context c) {
        Stage st = stage.stage();
        md.append("## ").append(st).append(" ").append(st.title()).append("\n\n");
        md.append("| option | dev BLEU | dev ROUGE | dev NLL | test BLEU | test ROUGE | test NLL |")
                .append(" dev gap closed | test gap closed | dev wins | test wins | params | run |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (OptionResult o : stage.options()) {
            String name = o.run().option().label() + (o.run().option().id().equals(stage.chosen()) ? " **(chosen)**"
                    : o.run().option().choosable() ? "" : " (reference)");
            md.append("| ").append(name).append(scores(o.dev(), o.test())).append(" | ").append(percent(o.devGap()))
                    .append(" | ").append(percent(o.testGap())).append(" | ").append(o.devWins()).append("/3 | ")
                    .append(o.testWins()).append("/3 | ").append(params(o.test())).append(" | `")
                    .append(o.run().key()).append("`").append(o.reused() ? " (reused)" : "").append(" |\n");
        }
        OptionResult first = stage.options().get(0);
        reference(md, "teacher (T)", first.outcome().role(Role.TEACHER));
        if (st.distills()) {
            reference(md, "student fine-tuned on gold (S)", first.outcome().role(Role.CE_BASELINE));
        }
        reference(md, "trivial baseline: " + c.task().trivialBaseline(), first.outcome().role(Role.COPY_BASELINE));
        md.append('\n');
        md.append("Chosen: **").append(stage.chosen()).append("**; the paper's choice: ")
                .append(StudyProfile.PAPER_CHOICE.get(st)).append(".\n\n");
        String plot = c.plots().get(st);
        if (plot != null) {
            md.append("![").append(st).append(" ").append(st.title()).append("](").append(plot).append(")\n\n");
        }
    }

    private static void reference(StringBuilder md, String name, RunOutcome.Scores scores) {
        md.append("| ").append(name).append(scores(scores.dev(), scores.test()))
                .append(" | | | | | ").append(params(scores.test())).append(" | |\n");
    }

    private static String scores(Map<String, Double> dev, Map<String, Double> test) {
        return " | " + num(dev, MetricNames.BLEU, "%.2f") + " | " + num(dev, MetricNames.ROUGE, "%.2f") + " | "
                + num(dev, MetricNames.NLL, "%.3f") + " | " + num(test, MetricNames.BLEU, "%.2f") + " | "
                + num(test, MetricNames.ROUGE, "%.2f") + " | " + num(test, MetricNames.NLL, "%.3f");
    }

    private static void computeTable(StringBuilder md, Map<String, Map<String, Double>> compute) {
        if (compute.isEmpty()) {
            return;
        }
        md.append("## Computational table\n\n");
        md.append("FLOPs of one teacher-forced forward pass at the task's token limits; latency: batch 1, greedy,")
                .append(" 16 source and 16 new tokens, the models' calls taking turns; throughput: greedy, 16 new")
                .append(" tokens, the largest batch up to 64 under 4 GB. One shared CPU machine: compare ratios.\n\n");
        md.append("| model | params | non-embedding params | GFLOPs | latency p50 (ms) | latency p90 (ms) |")
                .append(" throughput (examples/min) | batch |\n|---|---|---|---|---|---|---|---|\n");
        compute.forEach((name, m) -> md.append("| ").append(name).append(" | ").append(num(m, MetricNames.PARAMS, "%,.0f"))
                .append(" | ").append(num(m, MetricNames.PARAMS_NON_EMBEDDING, "%,.0f")).append(" | ")
                .append(m.containsKey(MetricNames.FLOPS) ? String.format(Locale.ROOT, "%.3f", m.get(MetricNames.FLOPS) / 1e9)
                        : "n/a")
                .append(" | ").append(num(m, MetricNames.LATENCY_MS_P50, "%.1f")).append(" | ")
                .append(num(m, MetricNames.LATENCY_MS_P90, "%.1f")).append(" | ")
                .append(num(m, MetricNames.THROUGHPUT_PER_MIN, "%,.0f")).append(" | ")
                .append(num(m, MetricNames.THROUGHPUT_BATCH, "%.0f")).append(" |\n"));
        md.append('\n');
    }

    private static void runs(StringBuilder md, List<StageResult> stages) {
        md.append("## Runs\n\n| stage/option | run key | seed | wall time | reused | job file |\n|---|---|---|---|---|---|\n");
        for (StageResult s : stages) {
            for (OptionResult o : s.options()) {
                md.append("| ").append(o.run().label()).append(" | `").append(o.run().key()).append("` | ")
                        .append(o.run().spec().getTraining().getSeed()).append(" | ").append(duration(o.wallSeconds()))
                        .append(" | ").append(o.reused() ? "yes" : "no").append(" | `jobs/")
                        .append(jobFileName(o.run())).append("` |\n");
            }
        }
        md.append('\n');
    }

    /** {@code S3-logit_kd.yaml}. */
    public static String jobFileName(PlannedRun run) {
        return run.stage() + "-" + run.option().id() + ".yaml";
    }

    static String percent(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.1f%%", value.getAsDouble()) : "n/a";
    }

    private static String params(Map<String, Double> test) {
        Double p = test.get(MetricNames.PARAMS);
        return p == null ? "n/a" : String.format(Locale.ROOT, "%.2fM", p / 1e6);
    }

    private static String num(Map<String, Double> metrics, String name, String format) {
        Double value = metrics.get(name);
        return value == null ? "n/a" : String.format(Locale.ROOT, format, value);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + " s";
    }
}
