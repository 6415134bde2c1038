package io.kdflow.cli.soak;

import io.kdflow.cli.UserError;
import io.kdflow.cli.pipeline.SoakCluster;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.local.JobInputs;
import io.kdflow.core.model.nn.CpuInfo;
import io.kdflow.core.pt.PseudoTargetFile;
import io.kdflow.core.pt.PtInput;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.proto.JobSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One soak: starts the broker, teacher-service (the job's teacher-ready event), pt-sampler and student-trainer as
 * {@code ./kdflow run} does, submits the job's whole input backlog at once, then samples every few seconds the
 * services' RSS and the consumer lag of pt-sampler (group {@value #SAMPLER_GROUP} on the examples topic) and
 * student-trainer (group {@value #TRAINER_GROUP} on the PT topic) into {@code <run>/soak/soak.csv}. It runs at
 * least {@link Settings#minutes} and until both lags are 0 with every PT record committed and the trainer has
 * published its final KD student (trained on all of them), at most {@link Settings#timeoutMinutes}; stops the
 * services, counts the distinct records of the trainer's store, and
 * writes the plot ({@code soak.png}) and the verdict ({@code summary.txt}, {@link SoakVerdict}).
 */
public final class SoakRun {

    static final String SAMPLER_GROUP = "pt-sampler";
    static final String TRAINER_GROUP = "student-trainer";
    static final List<String> SERVICES = List.of("teacher-service", "pt-sampler", "student-trainer");
    /** What a soak clears in the run directory first: a previous run's broker, logs, services' state and results. */
    static final List<String> PER_RUN_STATE = List.of("kafka", "logs", "trainer-data", "evaluator-data",
            "model-store", "soak");

    /**
     * @param minutes the least time to sample
     * @param timeoutMinutes the most time to sample (then the soak fails if not drained)
     * @param sampleSeconds seconds between samples
     * @param rssBoundMb the trainer's RSS bound (MiB)
     * @param maxSlopeMbPerMinute the trainer's allowed RSS growth over the last third (MiB per minute)
     * @param minInputs the smallest backlog accepted
     */
    public record Settings(double minutes, double timeoutMinutes, double sampleSeconds, double rssBoundMb,
            double maxSlopeMbPerMinute, int minInputs) {

        public Settings {
            if (!(minutes > 0) || timeoutMinutes < minutes || !(sampleSeconds > 0) || !(rssBoundMb > 0)
                    || maxSlopeMbPerMinute < 0 || minInputs < 0) {
                throw new UserError("soak settings: need minutes > 0, timeout >= minutes, sample seconds > 0, an RSS "
                        + "bound > 0 and a slope >= 0; got " + this);
            }
        }
    }

    private final Path home;
    private final JobSpec spec;
    private final JobSettings settings;
    private final Settings soak;
    private final PrintWriter out;
    private final Path runDir;

    public SoakRun(Path home, JobSpec spec, Settings soak, PrintWriter out) {
        this.home = home;
        this.spec = spec;
        this.settings = JobSettings.resolve(spec);
        this.soak = soak;
        this.out = out;
        this.runDir = Path.of(settings.outputDir()).toAbsolutePath().normalize().resolve(settings.jobId());
    }

    /** Runs the soak; returns whether it passed. */
    public boolean run() throws InterruptedException {
        String jobId = settings.jobId();
        List<PtInput> inputs = JobInputs.of(spec);
        if (inputs.size() < soak.minInputs()) {
            throw new UserError("the job has " + inputs.size() + " inputs; a soak needs at least " + soak.minInputs()
                    + " (raise task.train_size / task.unlabeled_size, or lower --min-inputs)");
        }
        long labeled = inputs.stream().filter(PtInput::labeled).count();
        int k = settings.sampling().numPseudoTargets();
        long expectedPts = (settings.sampling().includeLabeled() ? labeled : 0) + (long) inputs.size() * k;
        clear();
        Path soakDir = createDirectories(runDir.resolve("soak"));
        Path csv = soakDir.resolve("soak.csv");
        say("job %s: a backlog of %d inputs (%d labeled) x K=%d, %d PT records expected; run directory %s", jobId,
                inputs.size(), labeled, k, expectedPts, runDir);
        int threads = settings.threads() > 0 ? settings.threads() : Runtime.getRuntime().availableProcessors();
        List<SoakSample> samples = new ArrayList<>();
        Optional<String> runFailure = Optional.empty();
        Path store;
        try (SoakCluster cluster = SoakCluster.start(home, runDir, SERVICES, threads, line -> say("%s", line))) {
            store = cluster.dataDir("student-trainer").resolve(jobId).resolve("targets.pb");
            cluster.submit(spec, jobId, settings.training().seed(), inputs);
            Instant start = Instant.now();
            say("submitted the job and its %d inputs; sampling every %.0f s for at least %.1f min", inputs.size(),
                    soak.sampleSeconds(), soak.minutes());
            try (ConsumerLag lag = new ConsumerLag(cluster.bootstrapServers());
                    TrainerRun trainer = new TrainerRun(cluster.bootstrapServers(), jobId);
                    BufferedWriter writer = Files.newBufferedWriter(csv)) {
                writer.write(SoakSample.csvHeader());
                writer.newLine();
                long[] pids = {cluster.pid("student-trainer"), cluster.pid("pt-sampler"),
                    cluster.pid("teacher-service")};
                while (true) {
                    trainer.poll();
                    double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
                    SoakSample sample = new SoakSample(seconds, mb(pids[0]), mb(pids[1]), mb(pids[2]),
                            lag.position(SAMPLER_GROUP, Topics.EXAMPLES), lag.position(TRAINER_GROUP,
                            Topics.PSEUDO_TARGETS), trainer.studentCheckpoints(), trainer.finalStudent());
                    samples.add(sample);
                    writer.write(sample.csvRow());
                    writer.newLine();
                    writer.flush();
                    say("%s", line(sample, expectedPts));
                    Optional<String> failed = cluster.failedService();
                    if (failed.isPresent()) {
                        runFailure = failed;
                        say("%s", failed.get());
                        break;
                    }
                    if (trainer.failure().isPresent()) {
                        runFailure = trainer.failure();
                        say("the job's run failed in %s", runFailure.get());
                        break;
                    }
                    boolean done = sample.drained() && sample.pts().committed() == expectedPts
                            && sample.trainerDone();
                    if (seconds >= soak.minutes() * 60 && done || seconds >= soak.timeoutMinutes() * 60) {
                        break;
                    }
                    TimeUnit.MILLISECONDS.sleep((long) (soak.sampleSeconds() * 1000));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + csv, e);
            }
            say("stopping the services and the broker");
        }
        long stored = countDistinct(store);
        SoakVerdict verdict = new SoakVerdict(samples, expectedPts, stored, soak.rssBoundMb(),
                soak.maxSlopeMbPerMinute(), runFailure);
        List<String> summary = new ArrayList<>();
        summary.add("kdflow soak of job " + jobId + ": " + inputs.size() + " inputs, K=" + k + ", CPU "
                + CpuInfo.current().modelName() + " (" + Runtime.getRuntime().availableProcessors() + " cores), "
                + threads + " libtorch thread(s) per service");
        summary.addAll(verdict.lines());
        Path plot = soakDir.resolve("soak.png");
        SoakPlot.write(plot, samples, soak.rssBoundMb(), "kdflow soak, " + inputs.size() + " inputs");
        write(soakDir.resolve("summary.txt"), summary);
        summary.forEach(line -> say("%s", line));
        say("wrote %s, %s and %s", csv, plot, soakDir.resolve("summary.txt"));
        return verdict.passed();
    }

    /** Distinct records of the trainer's store (0 when it has none). */
    static long countDistinct(Path store) {
        if (!Files.isRegularFile(store)) {
            return 0;
        }
        AtomicLong count = new AtomicLong();
        PseudoTargetFile.forEach(store, record -> count.incrementAndGet());
        return count.get();
    }

    private static double mb(long pid) {
        OptionalLong bytes = ProcessMemory.rssBytes(pid);
        return bytes.isPresent() ? bytes.getAsLong() / (1024.0 * 1024.0) : -1;
    }

    private static String line(SoakSample s, long expectedPts) {
        return String.format(Locale.ROOT, "%6.0f s  RSS trainer %5.0f MiB, sampler %5.0f MiB, teacher %5.0f MiB | "
                + "inputs %d/%d (lag %d) | PT records produced %d, trainer committed %d/%d (lag %d) | student "
                + "checkpoints %d%s", s.seconds(), s.trainerRssMb(), s.samplerRssMb(), s.teacherRssMb(),
                s.examples().committed(), s.examples().produced(), s.examples().lag(), s.pts().produced(),
                s.pts().committed(), expectedPts, s.pts().lag(), s.studentCheckpoints(),
                s.trainerDone() ? " (final KD student in)" : "");
    }

    private void clear() {
        for (String name : PER_RUN_STATE) {
            Path dir = runDir.resolve(name);
            if (Files.exists(dir)) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                } catch (IOException e) {
                    throw new UserError("cannot clear " + dir + " of the previous soak: " + e.getMessage());
                }
            }
        }
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("cannot create " + dir + ": " + e.getMessage());
        }
    }

    private static void write(Path file, List<String> lines) {
        try {
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UserError("cannot write " + file + ": " + e.getMessage());
        }
    }

    private void say(String format, Object... args) {
        out.printf(Locale.ROOT, "kdflow soak: " + format + "%n", args);
        out.flush();
    }
}
