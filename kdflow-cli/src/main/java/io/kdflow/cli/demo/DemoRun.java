package io.kdflow.cli.demo;

import io.kdflow.cli.UserError;
import io.kdflow.cli.jsonl.JsonLine;
import io.kdflow.cli.jsonl.JsonLinesFile;
import io.kdflow.cli.report.EvalPoint;
import io.kdflow.cli.report.EvalRole;
import io.kdflow.cli.report.ReportWriter;
import io.kdflow.cli.report.ReportOptions;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.kafka.EmbeddedKafkaProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One demo run: prepares the starting student, starts the broker and the four services as separate
 * processes, streams the task's examples in, follows the job until every checkpoint is evaluated, writes
 * the report and stops everything.
 */
public final class DemoRun {

    /** How a run ended: its exit code, where it wrote, and the reasons of the job's dead letters. */
    public record Outcome(int exitCode, Path runDir, int reports, List<String> deadLetters) {
    }

    private static final List<String> SERVICES = List.of("pt-sampler", "student-trainer", "evaluator", "teacher-service");
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(3);

    private final Path home;
    private final Path runDir;
    private final DemoSettings settings;
    private final DemoJob job;
    private final PrintWriter out;
    private final String jobId;

    public DemoRun(Path home, Path runsDir, DemoSettings settings, PrintWriter out) {
        this.home = home;
        this.settings = settings;
        this.job = new DemoJob(settings);
        this.out = out;
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        this.jobId = "demo-" + stamp;
        this.runDir = runsDir.resolve(jobId);
    }

    /** Runs the demo; bad settings fail with {@link io.kdflow.core.error.BadInputException} before anything starts. */
    public Outcome run() throws InterruptedException {
        Path data = home.resolve("data/shakespeare");
        Path trainFile = data.resolve("train.jsonl");
        Path devFile = data.resolve("dev.jsonl");
        List<JsonLine> train = JsonLinesFile.read(trainFile);
        List<JsonLine> dev = JsonLinesFile.read(devFile);
        settings.requireFits(home.relativize(trainFile).toString(), train.size(), home.relativize(devFile).toString(),
                dev.size());
        Path store = createDirectories(runDir.resolve("model-store"));
        say("run %s: %d training examples, %d dev examples, batch %d, a checkpoint every %d steps", runDir,
                settings.examples(), settings.devExamples(), settings.batchSize(), settings.checkpointEverySteps());

        say("preparing the starting student (BPE tokenizer on the training text, small BART, random init)");
        DemoStudent.create(store.resolve("init/student"), texts(train), 2000, 128, 2, DemoJob.SEED);
        Path devSubset = writeDevSubset(dev);

        List<ServiceProcess> services = new ArrayList<>();
        try (EmbeddedKafkaProcess broker = startBroker()) {
            say("broker ready at %s", broker.bootstrapServers());
            try (Examples examples = new Examples(broker.bootstrapServers(), jobId)) {
                examples.createTopics(Topics.all());
            }
            for (String service : SERVICES) {
                services.add(ServiceProcess.start(home, service, serviceProperties(service, broker, store, devSubset),
                        runDir.resolve("logs")));
            }
            for (ServiceProcess service : services) {
                service.awaitReady();
                say("%s ready (log: %s)", service.name(), runDir.relativize(service.log()));
            }
            Followed followed = streamAndFollow(broker.bootstrapServers(), train);
            writeReport(followed.reports());
            int exitCode = followed.reports().size() >= settings.expectedCheckpoints() ? 0 : 1;
            return new Outcome(exitCode, runDir, followed.reports().size(), followed.deadLetters());
        } finally {
            services.forEach(ServiceProcess::close);
        }
    }

    /** What following the job collected: its evaluation reports and its dead letters ("service: reason"). */
    private record Followed(List<EvalReport> reports, List<String> deadLetters) {
    }

    private Followed streamAndFollow(String bootstrap, List<JsonLine> train) {
        try (Examples examples = new Examples(bootstrap, jobId);
                PipelineMonitor monitor = new PipelineMonitor(bootstrap, jobId)) {
            examples.publishJob(job);
            examples.publishTrain(train.subList(0, settings.examples()));
            Instant start = Instant.now();
            Instant deadline = start.plus(Duration.ofMinutes(settings.timeoutMinutes()));
            Instant nextLine = start;
            int expected = settings.expectedCheckpoints();
            while (monitor.reports().size() < expected && Instant.now().isBefore(deadline)) {
                monitor.poll(Duration.ofMillis(500));
                if (Instant.now().isAfter(nextLine)) {
                    progress(monitor, start);
                    nextLine = Instant.now().plus(PROGRESS_EVERY);
                }
            }
            progress(monitor, start);
            if (monitor.reports().size() < expected) {
                say("timed out after %d minutes with %d of %d reports; service logs are in %s",
                        settings.timeoutMinutes(), monitor.reports().size(), expected, runDir.resolve("logs"));
            }
            monitor.deadLetters().forEach(letter -> say("dead letter from %s: %s", letter.getService(), letter.getReason()));
            return new Followed(monitor.reports(), monitor.deadLetters().stream()
                    .map(letter -> letter.getService() + ": " + letter.getReason()).toList());
        }
    }

    private void progress(PipelineMonitor monitor, Instant start) {
        double seconds = Math.max(1e-3, Duration.between(start, Instant.now()).toMillis() / 1000.0);
        long targets = monitor.targets();
        int reports = monitor.reports().size();
        int expected = settings.expectedCheckpoints();
        double fraction = (Math.min(targets, settings.examples()) / (double) settings.examples() + reports / (double) expected) / 2;
        String eta = fraction <= 0 ? "?" : String.format(Locale.ROOT, "%.0f s", seconds * (1 - fraction) / fraction);
        say("%5.1f s | targets %d/%d (%.1f/s) | checkpoints %d/%d | reports %d/%d | dead letters %d | ETA %s",
                seconds, targets, settings.examples(), targets / seconds, monitor.checkpoints().size(), expected,
                reports, expected, monitor.deadLetters().size(), eta);
    }

    private void writeReport(List<EvalReport> reports) {
        List<EvalPoint> points = new ArrayList<>();
        // Reports of different steps come from different partitions, in any order: report them by step.
        for (EvalReport report : reports.stream().sorted(Comparator.comparingLong(EvalReport::getStep)).toList()) {
            Map<String, Double> metrics = new LinkedHashMap<>(report.getMetricsMap());
            points.add(new EvalPoint(jobId, "student", EvalRole.valueOf(report.getRole().name()), report.getStep(),
                    Topics.keyName(report.getSplit()), metrics));
        }
        String metric = points.stream().anyMatch(p -> p.metric("bleu").isPresent()) ? "bleu" : "checkpoint_bytes";
        ReportWriter.Written written = new ReportWriter(ReportOptions.defaults().withSelection(metric, "dev"))
                .write(runDir, points);
        for (EvalPoint point : points) {
            say("student step %4d on %s: BLEU %6.2f | chrF %6.2f | ROUGE %6.2f | NLL %.3f | latency p50 %s ms",
                    point.step(), point.split(), value(point, "bleu"), value(point, "chrf"), value(point, "rouge"),
                    value(point, "nll"), point.metric("latency_ms_p50").isPresent()
                            ? String.format(Locale.ROOT, "%.0f", point.metric("latency_ms_p50").getAsDouble()) : "n/a");
        }
        say("report: %s (and %s, %d plots)", runDir.relativize(written.markdown()), runDir.relativize(written.json()),
                written.plots().size());
    }

    private static double value(EvalPoint point, String metric) {
        return point.metric(metric).orElse(Double.NaN);
    }

    private EmbeddedKafkaProcess startBroker() {
        Path jar;
        try (var files = Files.list(home.resolve("embedded-kafka/target"))) {
            jar = files.filter(f -> f.getFileName().toString().endsWith("-broker.jar")).findFirst()
                    .orElseThrow(() -> new UserError("no embedded-kafka broker jar in " + home.resolve("embedded-kafka/target")
                            + ": build with ./mvnw -B -DskipTests package"));
        } catch (IOException e) {
            throw new UserError("no embedded-kafka build in " + home + ": build with ./mvnw -B -DskipTests package");
        }
        Path log = createDirectories(runDir.resolve("logs")).resolve("kafka.log");
        return EmbeddedKafkaProcess.builder().brokerJar(jar).dataDir(runDir.resolve("kafka"))
                .outputSink(line -> appendLine(log, line)).start();
    }

    private Map<String, String> serviceProperties(String service, EmbeddedKafkaProcess broker, Path store, Path devFile) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("kafka.bootstrap.servers", broker.bootstrapServers());
        switch (service) {
            case "student-trainer" -> {
                properties.put("trainer.model-store", store.toString());
                properties.put("trainer.data-dir", runDir.resolve("trainer-data").toString());
            }
            case "evaluator" -> {
                properties.put("evaluator.model-store", store.toString());
                properties.put("evaluator.data-dir", runDir.resolve("evaluator-data").toString());
                properties.put("evaluator.datasets.default.dev", devFile.toString());
                properties.put("evaluator.compute.latency.enabled", "true");
                properties.put("evaluator.compute.latency.warmup-calls", "2");
                properties.put("evaluator.compute.latency.calls", "5");
            }
            default -> { }
        }
        return properties;
    }

    private Path writeDevSubset(List<JsonLine> dev) {
        Path file = runDir.resolve("data/dev.jsonl");
        createDirectories(file.getParent());
        List<String> lines = dev.subList(0, settings.devExamples()).stream()
                .map(line -> line.object().toString()).toList();
        try {
            return Files.write(file, lines);
        } catch (IOException e) {
            throw new UserError("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static void appendLine(Path file, String line) {
        try {
            Files.writeString(file, line + System.lineSeparator(), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UserError("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static List<String> texts(List<JsonLine> lines) {
        List<String> texts = new ArrayList<>();
        for (JsonLine line : lines) {
            texts.add(line.string("source"));
            texts.add(line.string("target"));
        }
        return texts;
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("cannot create " + dir + ": " + e.getMessage());
        }
    }

    private void say(String format, Object... args) {
        out.println("[demo] " + String.format(Locale.ROOT, format, args));
        out.flush();
    }
}
