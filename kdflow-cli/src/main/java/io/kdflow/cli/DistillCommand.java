package io.kdflow.cli;

import io.kdflow.cli.options.JobOverridesOption;
import io.kdflow.cli.options.ThreadsOption;
import io.kdflow.cli.report.LocalRunPoints;
import io.kdflow.cli.report.ReportOptions;
import io.kdflow.cli.report.ReportWriter;
import io.kdflow.core.engine.EngineSetup;
import io.kdflow.core.eval.MetricNames;
import io.kdflow.core.local.LocalDistillation;
import io.kdflow.core.local.LocalOptions;
import io.kdflow.core.local.LocalResult;
import io.kdflow.core.local.RoleResult;
import io.kdflow.core.wire.proto.JobSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kdflow distill --local --job FILE}: the whole distillation of one job file in this process
 * (kd-core's {@link LocalDistillation}), with a progress line per phase, then {@code runs/<id>/report.md},
 * {@code report.json}, plots and {@code results.json}. Without {@code --local} it points at {@code run}, the
 * same job through the streaming services.
 */
@Command(name = "distill", mixinStandardHelpOptions = true,
        description = "Distill with a job file in one process, without Kafka (--local): teacher, pseudo-targets,"
                + " CE baseline, KD student, final fine-tune, test report. Rerunning a job resumes it.")
final class DistillCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--local", description = "Run every phase in this process (the same job through the"
            + " streaming services is ./kdflow run --job FILE).")
    boolean local;

    @Option(names = "--job", paramLabel = "FILE", description = "The job file (YAML, docs/jobs.md).")
    Path job;

    @Mixin
    JobOverridesOption overrides;

    @Option(names = "--cache", defaultValue = ".kdflow", paramLabel = "DIR",
            description = "Cache of teachers, pseudo-targets and CE baselines shared by jobs (default: ${DEFAULT-VALUE}).")
    Path cache;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!local) {
            err.println("kdflow distill: the streaming run over Kafka is ./kdflow run --job FILE; use --local to"
                    + " run the job in this process.");
            err.flush();
            return PendingCommand.EXIT_NOT_AVAILABLE;
        }
        if (job == null) {
            throw new UserError("--job: missing (the job file to run, e.g. --job jobs/shakespeare-quick.yaml)");
        }
        JobSpec jobSpec = JobFileOverrides.read(job, overrides.overrides());
        LocalDistillation distillation = new LocalDistillation(jobSpec, LocalOptions.of(cache),
                new DistillProgress(err));
        int jobThreads = distillation.settings().threads();
        int applied = threads.threads() != null ? threads.applyShared()
                : EngineSetup.shared(jobThreads > 0 ? jobThreads : null).apply();
        err.println("distill --local " + job + " on " + applied + " libtorch thread(s)");
        LocalResult result = distillation.run();
        Path runDir = distillation.runDir();
        ReportWriter.Written written = new ReportWriter(ReportOptions.defaults()
                .withSelection(result.selectionMetric(), "dev")).write(runDir, LocalRunPoints.of(result));
        printSummary(out, result);
        out.printf("report: %s, %s, %s (%d plots)%n", written.markdown(), written.json(),
                runDir.resolve("results.json"), written.plots().size());
        out.flush();
        return 0;
    }

    private static void printSummary(PrintWriter out, LocalResult result) {
        out.printf(Locale.ROOT, "%-14s %10s %8s %8s %8s %8s %12s%n", "test", "params", "BLEU", "ROUGE", "chrF",
                "NLL", "latency p50");
        for (RoleResult role : result.roles()) {
            Map<String, Double> t = role.test();
            out.printf(Locale.ROOT, "%-14s %10s %8s %8s %8s %8s %12s%n", LocalRunPoints.modelName(role.role()),
                    number(t, MetricNames.PARAMS, "%.0f"), number(t, MetricNames.BLEU, "%.2f"),
                    number(t, MetricNames.ROUGE, "%.2f"), number(t, MetricNames.CHRF, "%.2f"),
                    number(t, MetricNames.NLL, "%.3f"), number(t, MetricNames.LATENCY_MS_P50, "%.1f ms"));
        }
        Double gap = result.gapClosedTest().get(MetricNames.GAP_CLOSED_PREFIX + result.selectionMetric());
        out.printf(Locale.ROOT, "gap closed on test %s: %s%n", result.selectionMetric(),
                gap == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", gap));
        result.phaseSeconds().forEach((phase, seconds) -> out.printf(Locale.ROOT, "  %-16s %8.1f s%n", phase, seconds));
    }

    private static String number(Map<String, Double> metrics, String name, String format) {
        Double value = metrics.get(name);
        return value == null ? "n/a" : String.format(Locale.ROOT, format, value);
    }
}
