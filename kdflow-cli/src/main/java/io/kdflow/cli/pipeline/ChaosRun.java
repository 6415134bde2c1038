package io.kdflow.cli.pipeline;

import io.kdflow.cli.UserError;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.job.TaskSettings;
import io.kdflow.core.local.JobInputs;
import io.kdflow.core.pt.PseudoTargetFile;
import io.kdflow.core.pt.PtInput;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.Split;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/**
 * One pipeline run of the chaos job in a fresh run directory: the broker and the four services as child processes,
 * the job submitted and followed as {@code ./kdflow run} does, and, unless it is the uninterrupted reference, one
 * process killed with SIGKILL at each point of its {@link KillPlan} and started again on the same ports, data
 * directories and model store. Collects what the checks need: whether the job completed, each kill's recovery, the
 * PT counts, the reports per checkpoint and the trainer's step logs. Stops every process it started.
 */
final class ChaosRun {

    /** A service whose health check fails this many times in a row (5 s apart) has failed, not just a hiccup. */
    private static final int DOWN_CHECKS = 3;
    private static final Duration CHECK_EVERY = Duration.ofSeconds(5);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);
    /** A restarted process runs at least this long before it is killed again. */
    private static final Duration LEAST_UPTIME = Duration.ofSeconds(2);
    /** A final report weighs as much as this many PT records or optimizer steps in {@link #progressUnits}. */
    static final int REPORT_UNITS = 5;

    /**
     * One kill.
     *
     * @param at the job's own time of the kill (since submission, without earlier recoveries)
     * @param units the job's progress when it was killed ({@link #progressUnits})
     * @param ptRecords distinct PT records on the topic when it was killed
     * @param trainerSteps optimizer steps in the trainer's step logs when it was killed
     * @param up from the kill to the restarted process answering (services: UP on /q/health/live; broker: accepting
     *     clients); empty when it did not come back
     * @param recovered from the kill to recovered: {@code up}, and for the trainer its next step beyond the kill's
     *     (or the job's end); empty when it did not recover
     */
    record Kill(int index, Duration at, long units, long ptRecords, int trainerSteps, Optional<Duration> up,
            Optional<Duration> recovered, String note) {}

    /** What the run left: the checks read it. */
    record Evidence(long expectedPts, long topicPts, long topicCopies, OptionalLong trainedPts, String trainedSource,
            OptionalLong trainerDuplicates, OptionalLong trainerResumes, Map<String, Integer> reportCounts,
            StepLogs steps, Map<String, Double> studentMetrics, List<String> deadLetters) {}

    /**
     * A run's outcome; {@code failure} says why it did not complete; {@code progress} the job's progress over its job
     * time (the uninterrupted run's places the kills of the others).
     */
    record Result(Optional<ChaosVictim> victim, Optional<KillPlan> plan, boolean completed, Optional<String> failure,
            Duration jobTime, Duration wallTime, List<Kill> kills, Evidence evidence, Path runDir,
            List<KillPlan.Progress> progress) {}

    private enum Watch { REACHED, DONE, FAILED, TIMED_OUT }

    private final Path home;
    private final JobSpec spec;
    private final JobSettings settings;
    private final Path runDir;
    private final Duration timeout;
    private final PrintWriter out;
    private final String label;

    private LocalCluster cluster;
    private JobFollower follower;
    private JobProgress progress;
    private Instant submitted;
    private Duration recovering = Duration.ZERO;
    private Instant deadline;
    private Instant nextCheck;
    private Instant nextLine;
    private int downChecks;
    private Optional<String> failure = Optional.empty();
    private final List<KillPlan.Progress> curve = new ArrayList<>();
    private Instant lastRecovered = Instant.MIN;

    ChaosRun(Path home, JobSpec spec, Path runDir, Duration timeout, PrintWriter out, String label) {
        this.home = home;
        this.spec = spec;
        this.settings = JobSettings.resolve(spec);
        this.runDir = runDir;
        this.timeout = timeout;
        this.out = out;
        this.label = label;
    }

    /** Runs the job, killing the plan's process at its points (none: the uninterrupted reference). */
    Result run(Optional<KillPlan> plan) throws InterruptedException {
        PipelineRun.deleteRecursively(runDir);
        LocalCluster.createDirectories(runDir);
        List<PtInput> inputs = JobInputs.of(spec);
        long labeled = inputs.stream().filter(PtInput::labeled).count();
        long expectedPts = labeled + (long) inputs.size() * settings.sampling().numPseudoTargets();
        Split reportSplit = settings.task().flatMap(TaskSettings::test).isPresent() ? Split.TEST : Split.DEV;
        progress = new JobProgress(settings.jobId(), expectedPts, reportSplit);
        List<Kill> kills = new ArrayList<>();
        Instant started = Instant.now();
        boolean completed = false;
        try {
            cluster = LocalCluster.startBroker(home, runDir);
            String servers = cluster.bootstrapServers();
            cluster.startServices(home, new ServiceConfig(servers, runDir, ServiceConfig.threadsOf(settings.threads()),
                    ServiceConfig.FAST_FAILOVER),
                    line -> { });
            try (JobSubmission submission = new JobSubmission(servers, Clock.systemUTC())) {
                submission.createTopics(Topics.all());
                submission.publishJob(spec);
                submission.publishInputs(settings.jobId(), settings.training().seed(), inputs);
            }
            submitted = Instant.now();
            deadline = submitted.plus(timeout);
            nextCheck = submitted.plus(CHECK_EVERY);
            nextLine = submitted.plus(PROGRESS_EVERY);
            say("submitted %d inputs, %d PT records expected%s", inputs.size(), expectedPts, plan.map(p -> "; kills "
                    + p.victim().label() + " at progress " + p.milestones() + " (the uninterrupted run's at "
                    + seconds(p.at()) + ")").orElse(""));
            try (JobFollower watching = new JobFollower(servers, progress)) {
                follower = watching;
                Watch state = Watch.REACHED;
                List<Long> milestones = plan.map(KillPlan::milestones).orElse(List.of());
                for (int i = 0; i < milestones.size() && state == Watch.REACHED; i++) {
                    long milestone = milestones.get(i);
                    state = watch(() -> units() >= milestone
                            && Instant.now().isAfter(lastRecovered.plus(LEAST_UPTIME)));
                    if (state == Watch.REACHED) {
                        Kill kill = kill(plan.get().victim(), i + 1);
                        kills.add(kill);
                        if (kill.recovered().isEmpty()) {
                            failure = Optional.of(plan.get().victim().label() + " did not recover from kill " + (i + 1)
                                    + ": " + kill.note());
                            state = Watch.FAILED;
                        }
                    }
                }
                if (state == Watch.REACHED) {
                    state = watch(() -> false);
                }
                completed = state == Watch.DONE;
                curve.add(new KillPlan.Progress(jobTime(), units()));
                if (state == Watch.TIMED_OUT) {
                    failure = Optional.of("timed out after " + timeout.toMinutes() + " min: " + progress.finalReports()
                            + " of 6 final reports in; read the " + progress.stalledService() + " log first");
                }
                progress.jobFailure().ifPresent(letter -> failure = Optional.of("the job failed in "
                        + letter.getService() + ": " + letter.getReason()));
                say("%s after %.0f s of job time (%.0f s wall)%s", completed ? "completed" : "did NOT complete",
                        seconds(jobTime()), seconds(Duration.between(started, Instant.now())),
                        failure.map(f -> ": " + f).orElse(""));
            }
        } catch (UserError | IllegalStateException e) {
            failure = Optional.of(e.getMessage());
            say("did NOT complete: %s", e.getMessage());
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
        Duration jobTime = submitted == null ? Duration.ZERO : jobTime();
        return new Result(plan.map(KillPlan::victim), plan, completed, failure, jobTime,
                Duration.between(started, Instant.now()), kills, evidence(expectedPts), runDir, List.copyOf(curve));
    }

    /** Kills the victim, starts it again, and waits until it is UP (the trainer: until its next step). */
    private Kill kill(ChaosVictim victim, int index) throws InterruptedException {
        Duration at = jobTime();
        long units = units();
        long pts = progress.ptRecords();
        StepLogs before = StepLogs.read(store());
        Instant killed = Instant.now();
        Optional<Duration> up = Optional.empty();
        Optional<Duration> recovered = Optional.empty();
        String note = "";
        try {
            if (victim == ChaosVictim.BROKER) {
                cluster.killBroker();
                killed = Instant.now();
                cluster.restartBroker();
            } else {
                ServiceProcess dead = cluster.killService(victim.module());
                killed = Instant.now();
                cluster.restartService(dead).awaitLive();
            }
            up = Optional.of(Duration.between(killed, Instant.now()));
            Watch state = victim == ChaosVictim.TRAINER ? watch(() -> StepLogs.read(store()).hasStepBeyond(before))
                    : Watch.REACHED;
            if (state == Watch.REACHED || state == Watch.DONE) {
                recovered = Optional.of(Duration.between(killed, Instant.now()));
            } else {
                note = state == Watch.TIMED_OUT ? "no step beyond the kill's before the timeout"
                        : failure.orElse("failed");
            }
        } catch (UserError | IllegalStateException e) {
            note = e.getMessage();
        }
        recovering = recovering.plus(Duration.between(killed, Instant.now()));
        lastRecovered = Instant.now();
        Kill kill = new Kill(index, at, units, pts, before.size(), up, recovered, note);
        say("kill %d of %s at %.1f s, progress %d (PTs %d, trainer steps %d): %s", index, victim.label(), seconds(at),
                units, pts,
                before.size(), kill.recovered().map(d -> String.format(Locale.ROOT, "up after %.1f s, recovered after"
                        + " %.1f s", seconds(kill.up().orElseThrow()), seconds(d))).orElse("NOT recovered: " + note));
        return kill;
    }

    /**
     * Follows the job until {@code reached} holds, the job is done, it failed (a dead-lettered spec, a service that
     * exited or stays DOWN) or the run's time is up.
     */
    private Watch watch(BooleanSupplier reached) {
        while (true) {
            follower.poll(Duration.ofMillis(300));
            if (progress.jobFailure().isPresent()) {
                return Watch.FAILED;
            }
            if (progress.done()) {
                return Watch.DONE;
            }
            if (Instant.now().isAfter(deadline)) {
                return Watch.TIMED_OUT;
            }
            Instant now = Instant.now();
            if (now.isAfter(nextCheck)) {
                nextCheck = now.plus(CHECK_EVERY);
                Optional<String> failed = cluster.failedService();
                downChecks = failed.isPresent() ? downChecks + 1 : 0;
                if (failed.isPresent() && (failed.get().contains(" exited with code ") || downChecks >= DOWN_CHECKS)) {
                    failure = failed;
                    say("%s", failed.get());
                    return Watch.FAILED;
                }
            }
            if (now.isAfter(nextLine)) {
                nextLine = now.plus(PROGRESS_EVERY);
                say("%.0f s: PTs %d/%d, trainer steps %d, final reports %d/6", seconds(jobTime()),
                        progress.ptRecords(), progress.expectedPtRecords(), StepLogs.read(store()).size(),
                        progress.finalReports());
            }
            long units = units();
            if (curve.isEmpty() || curve.get(curve.size() - 1).units() != units) {
                curve.add(new KillPlan.Progress(jobTime(), units));
            }
            if (reached.getAsBoolean()) {
                return Watch.REACHED;
            }
        }
    }

    private Evidence evidence(long expectedPts) {
        Map<String, Double> metrics = progress.finalCheckpoint(ModelRole.STUDENT).map(CheckpointEvent::getMetricsMap)
                .orElse(Map.of());
        OptionalLong trained;
        String source;
        if (metrics.containsKey("pt_records_trained")) {
            trained = OptionalLong.of(Math.round(metrics.get("pt_records_trained")));
            source = "final STUDENT checkpoint event (pt_records_trained)";
        } else {
            Path targets = runDir.resolve("trainer-data").resolve(settings.jobId()).resolve("targets.pb");
            trained = Files.isRegularFile(targets) ? OptionalLong.of(PseudoTargetFile.readAll(targets).stream()
                    .map(r -> r.getKind() + "/" + r.getExampleId() + "/" + r.getPtIndex()).distinct().count())
                    : OptionalLong.empty();
            source = "trainer's target store (trainer-data/" + settings.jobId() + "/targets.pb, distinct records)";
        }
        return new Evidence(expectedPts, progress.ptRecords(), progress.ptDuplicates(), trained, source,
                metric(metrics, "pt_records_duplicate"), metric(metrics, "trainer_resumes"), progress.reportCounts(),
                StepLogs.read(store()), metrics, progress.deadLetters().stream()
                        .map(l -> l.getService() + " on " + l.getSourceTopic() + ": " + l.getReason()).toList());
    }

    private static OptionalLong metric(Map<String, Double> metrics, String name) {
        Double value = metrics.get(name);
        return value == null ? OptionalLong.empty() : OptionalLong.of(Math.round(value));
    }

    /** The job's progress now: {@link #progressUnits} of what the follower and the step logs show. */
    private long units() {
        return progressUnits(progress.ptRecords(), StepLogs.read(store()).size(), progress.finalReports());
    }

    /**
     * A measure of how far a job has come that grows through all of it: distinct PT records on the topic (the
     * sampler's part), optimizer steps in the step logs (the trainer's) and final reports ({@value #REPORT_UNITS}
     * each; the evaluator's).
     */
    static long progressUnits(long ptRecords, int steps, int finalReports) {
        return ptRecords + steps + (long) REPORT_UNITS * finalReports;
    }

    private Path store() {
        return runDir.resolve("model-store");
    }

    /** The job's own time: since submission, without the time spent recovering from kills. */
    private Duration jobTime() {
        return Duration.between(submitted, Instant.now()).minus(recovering);
    }

    static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static String seconds(List<Duration> points) {
        return points.stream().map(p -> String.format(Locale.ROOT, "%.1f", seconds(p))).toList() + " s";
    }

    private void say(String format, Object... args) {
        out.println("[chaos " + label + "] " + String.format(Locale.ROOT, format, args));
        out.flush();
    }
}
