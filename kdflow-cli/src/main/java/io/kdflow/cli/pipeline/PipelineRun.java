package io.kdflow.cli.pipeline;

import io.kdflow.cli.UserError;
import io.kdflow.cli.report.ReportOptions;
import io.kdflow.cli.report.ReportWriter;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.eval.CopyBaseline;
import io.kdflow.core.eval.MetricNames;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.job.TaskSettings;
import io.kdflow.core.local.JobInputs;
import io.kdflow.core.local.LocalData;
import io.kdflow.core.pt.PtInput;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.Split;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One {@code ./kdflow run}: without a bootstrap address, starts the embedded broker and the four services
 * ({@link LocalCluster}) with their state under {@code <output>/<job>/}; submits the job ({@link JobSubmission}:
 * topics, JobSpec, the sampler's inputs as {@code distill --local} selects them); follows it ({@link JobFollower})
 * with a progress line every few seconds until the teacher's, the CE baseline's and the final student's reports are
 * in; prints the {@link FinalComparison}, writes the report, and stops what it started.
 */
public final class PipelineRun {

    /** How a run ended. */
    public record Outcome(int exitCode, Path runDir, boolean done, List<String> deadLetters) {}

    /** Exit code of a run that timed out. */
    public static final int EXIT_TIMEOUT = 4;
    /** Exit code when a service rejected the job or its run failed (a dead letter of the job's spec). */
    public static final int EXIT_JOB_FAILED = 5;

    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /** What a fresh local run clears in the run directory: the previous run's broker, logs and services' state. */
    static final List<String> PER_RUN_STATE = List.of("kafka", "logs", "trainer-data", "evaluator-data");

    private final Path home;
    /** Set when a started service exited or reported DOWN while the job ran. */
    private Optional<String> serviceFailure = Optional.empty();
    private final JobSpec spec;
    private final JobSettings settings;
    private final Optional<String> bootstrap;
    private final Duration timeout;
    private final PrintWriter out;
    private final Path runDir;
    /** Broker and services as containers of the images tools/containers.sh builds, instead of processes. */
    private boolean containers;

    /**
     * @param bootstrap an existing cluster's bootstrap servers; empty = start the embedded broker and the services
     * @throws io.kdflow.core.error.BadInputException when the job does not resolve
     */
    public PipelineRun(Path home, JobSpec spec, Optional<String> bootstrap, Duration timeout, PrintWriter out) {
        this.home = home;
        this.spec = spec;
        this.settings = JobSettings.resolve(spec);
        this.bootstrap = bootstrap;
        this.timeout = timeout;
        this.out = out;
        this.runDir = Path.of(settings.outputDir()).toAbsolutePath().normalize().resolve(settings.jobId());
    }

    public Path runDir() {
        return runDir;
    }

    /** Starts the broker and the services as containers (docs/containers.md); only without a bootstrap address. */
    public PipelineRun inContainers() {
        if (bootstrap.isPresent()) {
            throw new IllegalStateException("containers are started for a local run only, not with a bootstrap address");
        }
        this.containers = true;
        return this;
    }

    public Outcome run() throws InterruptedException {
        String jobId = settings.jobId();
        List<PtInput> inputs = JobInputs.of(spec);
        long labeled = inputs.stream().filter(PtInput::labeled).count();
        int k = settings.sampling().numPseudoTargets();
        long expectedPts = labeled + (long) inputs.size() * k;
        Split reportSplit = settings.task().flatMap(TaskSettings::test).isPresent() ? Split.TEST : Split.DEV;
        JobProgress progress = new JobProgress(jobId, expectedPts, reportSplit);
        say("job %s: %d inputs (%d labeled) x K=%d, %d PT records expected; run directory %s", jobId, inputs.size(),
                labeled, k, expectedPts, runDir);
        LocalCluster cluster = null;
        try {
            String servers;
            if (bootstrap.isPresent()) {
                servers = bootstrap.get();
                say("submitting to the cluster at %s", servers);
            } else {
                clearPreviousRun();
                Optional<ContainerImages> images = containers ? Optional.of(ContainerImages.prepare(home, runDir))
                        : Optional.empty();
                images.ifPresent(i -> i.requireVisible(jobFiles()));
                cluster = LocalCluster.startBroker(home, runDir, images);
                servers = cluster.bootstrapServers();
                say("broker ready at %s%s", servers,
                        images.map(i -> " (container of " + i.image(ContainerImages.BROKER_MODULE) + ")").orElse(""));
                ServiceConfig config = new ServiceConfig(servers, runDir, ServiceConfig.threadsOf(settings.threads()));
                say("starting the services%s, %d libtorch thread(s) each, model store %s",
                        containers ? " as containers" : "", config.threads(), config.modelStore());
                cluster.startServices(home, config, line -> say("%s", line));
            }
            try (JobSubmission submission = new JobSubmission(servers, Clock.systemUTC())) {
                submission.createTopics(Topics.all());
                submission.publishJob(spec);
                submission.publishInputs(jobId, settings.training().seed(), inputs);
            }
            say("submitted the job and its %d inputs", inputs.size());
            boolean done;
            try (JobFollower follower = new JobFollower(servers, progress)) {
                done = follow(follower, cluster);
            }
            List<String> letters = progress.deadLetters().stream().map(PipelineRun::describe).toList();
            if (progress.jobFailure().isPresent()) {
                DeadLetter failure = progress.jobFailure().get();
                String log = cluster != null ? " (log: " + cluster.logDir().resolve(logName(failure.getService()))
                        + ")" : "";
                say("the job failed in %s%s: %s", failure.getService(), log, failure.getReason());
                return new Outcome(EXIT_JOB_FAILED, runDir, false, letters);
            }
            if (serviceFailure.isPresent()) {
                return new Outcome(EXIT_JOB_FAILED, runDir, false, letters);
            }
            if (!done) {
                String service = progress.stalledService();
                String log = cluster != null ? " (" + cluster.logDir().resolve(service + ".log") + ")" : "";
                say("timed out after %s: %d of 6 final reports in, %d dead letter(s); read the %s log%s first",
                        readable(timeout), progress.finalReports(), letters.size(), service, log);
                return new Outcome(EXIT_TIMEOUT, runDir, false, letters);
            }
            finish(progress);
            return new Outcome(0, runDir, true, letters);
        } finally {
            if (cluster != null) {
                say("stopping the services and the broker");
                cluster.close();
            }
        }
    }

    private boolean follow(JobFollower follower, LocalCluster cluster) {
        JobProgress progress = follower.progress();
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        Instant nextLine = start;
        int lettersShown = 0;
        while (!progress.done() && progress.jobFailure().isEmpty() && Instant.now().isBefore(deadline)) {
            follower.poll(Duration.ofMillis(500));
            List<DeadLetter> letters = progress.deadLetters();
            for (DeadLetter letter : letters.subList(lettersShown, letters.size())) {
                say("dead letter: %s", describe(letter));
            }
            lettersShown = letters.size();
            if (Instant.now().isAfter(nextLine)) {
                Optional<String> failed = cluster == null ? Optional.empty() : cluster.failedService();
                if (failed.isPresent()) {
                    serviceFailure = failed;
                    say("%s", failed.get());
                    return false;
                }
                say("%s", ProgressLine.of(progress, selectionMetric(), Duration.between(start, Instant.now())));
                nextLine = Instant.now().plus(PROGRESS_EVERY);
            }
        }
        say("%s", ProgressLine.of(progress, selectionMetric(), Duration.between(start, Instant.now())));
        return progress.done();
    }

    private void finish(JobProgress progress) {
        FinalComparison comparison = withCopyBaseline(comparison(progress, selectionMetric()));
        say("final comparison (evaluator reports; gap closed = 100 (KD - CE) / (teacher - CE)):");
        List<String> lines = comparison.lines();
        lines.forEach(out::println);
        out.flush();
        long baselineStep = progress.finalCheckpoint(ModelRole.STUDENT_BASELINE).map(e -> e.getStep()).orElse(0L);
        long studentStep = progress.finalCheckpoint(ModelRole.STUDENT).map(e -> e.getStep()).orElse(0L);
        ReportWriter.Written written = new ReportWriter(ReportOptions.defaults().withSelection(selectionMetric(), "dev"))
                .write(runDir, PipelinePoints.of(settings.jobId(), progress.trainerPoints(), comparison, baselineStep,
                        studentStep));
        Path text = runDir.resolve("comparison.txt");
        try {
            Files.write(text, lines);
        } catch (IOException e) {
            throw new UserError("cannot write " + text + ": " + e.getMessage());
        }
        say("report: %s, %s, %s (%d plots)", written.markdown(), written.json(), text, written.plots().size());
    }

    /** The three final models' evaluator metrics. */
    static FinalComparison comparison(JobProgress progress, String selectionMetric) {
        return new FinalComparison(model(progress, ModelRole.TEACHER, "teacher"),
                model(progress, ModelRole.STUDENT_BASELINE, "CE student"), model(progress, ModelRole.STUDENT, "KD student"),
                selectionMetric);
    }

    /**
     * The comparison with the copy baseline on the task's dev and test examples (the ones the evaluator scored,
     * read as distill --local reads them), when this machine can read the task's files (with --bootstrap they
     * may live on the cluster's volume only).
     */
    private FinalComparison withCopyBaseline(FinalComparison comparison) {
        Optional<TaskSettings> task = settings.task();
        if (task.isEmpty()) {
            return comparison;
        }
        try {
            LocalData data = LocalData.read(task.get());
            return new FinalComparison(comparison.teacher(), comparison.baseline(), comparison.student(),
                    comparison.selectionMetric(), Optional.of(new FinalComparison.Model("copy source",
                            CopyBaseline.metrics(data.dev()), CopyBaseline.metrics(data.test()))));
        } catch (BadInputException unreadable) {
            say("no copy-baseline row: %s", unreadable.getMessage());
            return comparison;
        }
    }

    private static FinalComparison.Model model(JobProgress progress, ModelRole role, String name) {
        return new FinalComparison.Model(name, metrics(progress.report(role, Split.DEV)),
                metrics(progress.report(role, Split.TEST)));
    }

    private static Map<String, Double> metrics(Optional<EvalReport> report) {
        return report.map(EvalReport::getMetricsMap).orElse(Map.of());
    }

    private String selectionMetric() {
        String metric = spec.getEvaluation().getSelectionMetric();
        return metric.isEmpty() ? MetricNames.BLEU : metric;
    }

    /** The files the services read, by the job-file field that names them. */
    private Map<String, String> jobFiles() {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        settings.task().ifPresent(task -> {
            files.put("task.train", task.train());
            task.dev().ifPresent(f -> files.put("task.dev", f));
            task.test().ifPresent(f -> files.put("task.test", f));
            task.unlabeled().ifPresent(f -> files.put("task.unlabeled", f));
        });
        if (!spec.getTeacher().getDir().isEmpty()) {
            files.put("teacher.dir", spec.getTeacher().getDir());
        }
        return files;
    }

    /** Clears the previous local run's broker, logs and service state, and the trainer's run of this job. */
    private void clearPreviousRun() {
        for (String dir : PER_RUN_STATE) {
            deleteRecursively(runDir.resolve(dir));
        }
        deleteRecursively(runDir.resolve("model-store").resolve(settings.jobId()));
        LocalCluster.createDirectories(runDir);
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static String readable(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds % 60 == 0 ? seconds / 60 + " minutes" : seconds + " s";
    }

    /** The log file of the service a dead letter names ("trainer" is student-trainer's, "sampler" pt-sampler's). */
    private static String logName(String service) {
        return switch (service) {
            case "trainer" -> "student-trainer.log";
            case "sampler" -> "pt-sampler.log";
            case "teacher" -> "teacher-service.log";
            default -> service + ".log";
        };
    }

    private static String describe(DeadLetter letter) {
        return letter.getService() + " rejected a record of " + letter.getSourceTopic() + ": " + letter.getReason();
    }

    private void say(String format, Object... args) {
        out.println("[run] " + String.format(Locale.ROOT, format, args));
        out.flush();
    }
}
