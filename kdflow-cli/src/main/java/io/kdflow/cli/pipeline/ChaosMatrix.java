package io.kdflow.cli.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kdflow.cli.UserError;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.wire.proto.JobSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./kdflow chaos}: the kill -9 matrix. Runs the job once uninterrupted (the reference), then once per chosen
 * process, killing that process with SIGKILL at {@code kills} seeded points of the job and starting it again each
 * time ({@link ChaosRun}), and checks every killed run: the job completes, every kill was recovered from, the PT
 * count is exact (the trainer's training set holds each expected record once), the trainer's optimizer steps and
 * losses equal the reference's bit for bit (it resumed from its checkpoint and redid nothing differently), and the
 * evaluator reported each checkpoint once. Prints the table, writes it to {@code <output>/<job>/chaos.md} and
 * {@code chaos.json}, and returns non-zero when a check failed (each failure named). One pipeline at a time; every
 * run's state and logs stay in {@code <output>/<job>/chaos/<run>/}.
 */
public final class ChaosMatrix {

    /** Exit code when a check failed. */
    public static final int EXIT_CHECK_FAILED = 6;
    /** Relative tolerance of a loss against the uninterrupted run's (see {@link #losses}). */
    static final double LOSS_TOLERANCE = 1e-5;
    static final String LOSSES = "losses equal the uninterrupted run's (1e-5 relative)";

    /** One row of the table: a run and its checks (check name to failure; an empty failure passed). */
    record Row(ChaosRun.Result result, Map<String, String> checks, Optional<StepLogs.Comparison> losses) {
        boolean passed() {
            return checks.values().stream().allMatch(String::isEmpty);
        }
    }

    private final Path home;
    private final JobSpec spec;
    private final List<ChaosVictim> victims;
    private final int kills;
    private final long seed;
    private final Duration timeout;
    private final PrintWriter out;
    private final Path baseDir;

    /**
     * @param timeout the longest one run may take
     * @throws io.kdflow.core.error.BadInputException when the job does not resolve
     */
    public ChaosMatrix(Path home, JobSpec spec, String processes, int kills, long seed, Duration timeout,
            PrintWriter out) {
        if (kills < 1) {
            throw new UserError("--kills " + kills + ": expected at least 1");
        }
        JobSettings settings = JobSettings.resolve(spec);
        this.home = home;
        this.spec = spec;
        this.victims = ChaosVictim.parse(processes);
        this.kills = kills;
        this.seed = seed;
        this.timeout = timeout;
        this.out = out;
        this.baseDir = Path.of(settings.outputDir()).toAbsolutePath().normalize().resolve(settings.jobId());
    }

    /** Where the table and the runs go: {@code <output>/<job>/}. */
    public Path baseDir() {
        return baseDir;
    }

    /** Runs the matrix; 0 when every check passed, else {@link #EXIT_CHECK_FAILED}. */
    public int run() throws InterruptedException {
        Instant start = Instant.now();
        say("reference: the job uninterrupted");
        ChaosRun.Result reference = newRun("reference").run(Optional.empty());
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(reference, referenceChecks(reference), Optional.empty()));
        if (reference.completed()) {
            for (ChaosVictim victim : victims) {
                KillPlan plan = KillPlan.of(victim, kills, seed, reference.progress());
                say("%s: %d kills", victim.label(), kills);
                ChaosRun.Result result = newRun(victim.label()).run(Optional.of(plan));
                rows.add(new Row(result, checks(result, reference), Optional.of(losses(result, reference))));
            }
        } else {
            say("the reference run did not complete, so there is nothing to compare with: %s",
                    reference.failure().orElse("?"));
        }
        Duration total = Duration.between(start, Instant.now());
        List<String> table = ChaosTable.lines(rows, kills);
        table.forEach(out::println);
        List<String> failures = new ArrayList<>();
        for (Row row : rows) {
            row.checks().forEach((check, failure) -> {
                if (!failure.isEmpty()) {
                    failures.add(ChaosTable.name(row.result()) + ": " + check + ": " + failure);
                }
            });
        }
        failures.forEach(failure -> out.println("FAILED " + failure));
        out.printf(Locale.ROOT, "kill matrix: %d run(s), %s in %.0f s%n", rows.size(),
                failures.isEmpty() ? "every check passed" : failures.size() + " check(s) FAILED",
                ChaosRun.seconds(total));
        out.flush();
        write(rows, table, failures, total);
        return failures.isEmpty() && rows.size() == victims.size() + 1 ? 0 : EXIT_CHECK_FAILED;
    }

    private ChaosRun newRun(String name) {
        return new ChaosRun(home, spec, baseDir.resolve("chaos").resolve(name), timeout, out, name);
    }

    /** The reference must itself complete with the exact PT count and each checkpoint reported once. */
    static Map<String, String> referenceChecks(ChaosRun.Result reference) {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("completes", completes(reference));
        checks.put("pt count exact", ptCount(reference.evidence()));
        checks.put("each checkpoint reported once", reportedOnce(reference.evidence()));
        return checks;
    }

    /** The four checks of a killed run against the reference. */
    static Map<String, String> checks(ChaosRun.Result result, ChaosRun.Result reference) {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("completes", completes(result));
        int planned = result.plan().map(p -> p.milestones().size()).orElse(0);
        long recovered = result.kills().stream().filter(k -> k.recovered().isPresent()).count();
        checks.put("every kill recovered", result.kills().size() < planned
                ? "killed " + result.kills().size() + " of " + planned + " times (the job "
                        + (result.completed() ? "ended" : "stopped") + " before the next kill point)"
                : recovered < result.kills().size() ? (result.kills().size() - recovered) + " of "
                        + result.kills().size() + " kills not recovered from" : "");
        checks.put("pt count exact", ptCount(result.evidence()));
        List<String> differences = losses(result, reference).differences();
        checks.put(LOSSES, differences.isEmpty() ? "" : differences.size()
                + " difference(s), first " + String.join("; ", differences.subList(0, Math.min(3, differences.size()))));
        checks.put("each checkpoint reported once", reportedOnce(result.evidence()));
        return checks;
    }

    /**
     * The killed run's optimizer steps against the uninterrupted run's. Losses agree within {@value #LOSS_TOLERANCE}
     * of the reference's, not bit for bit: two pipeline runs of the same job differ in float rounding even when
     * nothing is killed, because the teacher's sparse distributions (PT records, remote Joint-Teaching scores) are
     * computed in batches that the services cut as records arrive, and a batch's padding changes the fp32 sums
     * (measured: 1e-7 relative; DemoSmokeIT allows the same 1e-5 against distill --local). A resume from the wrong
     * state (optimizer, data order, sampling RNG) moves losses by far more than that.
     */
    static StepLogs.Comparison losses(ChaosRun.Result result, ChaosRun.Result reference) {
        return result.evidence().steps().compareWith(reference.evidence().steps(), LOSS_TOLERANCE);
    }

    private static String completes(ChaosRun.Result result) {
        return result.completed() ? "" : result.failure().orElse("did not complete");
    }

    private static String ptCount(ChaosRun.Evidence evidence) {
        List<String> wrong = new ArrayList<>();
        if (evidence.topicPts() != evidence.expectedPts()) {
            wrong.add(evidence.topicPts() + " distinct PT records on the topic, " + evidence.expectedPts() + " expected");
        }
        if (evidence.trainedPts().isEmpty()) {
            wrong.add("no trained count (" + evidence.trainedSource() + " missing)");
        } else if (evidence.trainedPts().getAsLong() != evidence.expectedPts()) {
            wrong.add(evidence.trainedPts().getAsLong() + " PT records trained, " + evidence.expectedPts()
                    + " expected (" + evidence.trainedSource() + ")");
        }
        return String.join("; ", wrong);
    }

    private static String reportedOnce(ChaosRun.Evidence evidence) {
        List<String> twice = evidence.reportCounts().entrySet().stream().filter(e -> e.getValue() != 1)
                .map(e -> e.getKey() + " reported " + e.getValue() + " times").toList();
        return String.join("; ", twice);
    }

    private void write(List<Row> rows, List<String> table, List<String> failures, Duration total) {
        try {
            Files.createDirectories(baseDir);
            List<String> markdown = new ArrayList<>();
            markdown.add("# Kill -9 matrix: " + JobSettings.resolve(spec).jobId());
            markdown.add("");
            markdown.add(String.format(Locale.ROOT, "%d kill(s) per process, seed %d, %s; %.0f s in all.", kills, seed,
                    failures.isEmpty() ? "every check passed" : failures.size() + " check(s) FAILED",
                    ChaosRun.seconds(total)));
            markdown.add("");
            markdown.addAll(ChaosTable.markdown(rows, kills));
            if (!failures.isEmpty()) {
                markdown.add("");
                failures.forEach(failure -> markdown.add("- FAILED " + failure));
            }
            Files.write(baseDir.resolve("chaos.md"), markdown);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(baseDir.resolve("chaos.json").toFile(), ChaosTable.json(rows, kills, seed, total));
            say("table: %s, %s", baseDir.resolve("chaos.md"), baseDir.resolve("chaos.json"));
        } catch (IOException e) {
            throw new UserError("cannot write the chaos table in " + baseDir + ": " + e.getMessage());
        }
    }

    private void say(String format, Object... args) {
        out.println("[chaos] " + String.format(Locale.ROOT, format, args));
        out.flush();
    }
}
