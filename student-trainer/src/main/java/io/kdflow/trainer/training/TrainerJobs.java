package io.kdflow.trainer.training;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobLimits;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.job.SamplingSettings;
import io.kdflow.core.job.TrainingSettings;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every job this trainer process serves, each with its own run: targets are stored locally (de-duplicated)
 * as they arrive; a job's run starts when its JobSpec arrives (Kafka orders nothing across topics), trains
 * the targets stored so far, then each new one. Safe for the two consumer threads (specs and targets).
 */
public final class TrainerJobs implements AutoCloseable {

    /** How runs are made: the service's mode, store, defaults and limits. */
    public record Setup(boolean materializeOnly, ModelStore store, Path dataDir, CheckpointWriter checkpoints,
            JobLimits limits, Optional<String> defaultStudentInit, long defaultTotalSteps) {}

    /** What accepting a JobSpec did. */
    public enum SpecOutcome { STARTED, UNCHANGED }

    private final Setup setup;
    private final Map<String, Job> jobs = new HashMap<>();

    public TrainerJobs(Setup setup) {
        this.setup = setup;
    }

    /**
     * Starts the job of {@code spec} and trains the targets it already has; returns the checkpoints that made.
     *
     * @throws BadInputException for a spec whose settings are invalid or that changes a running job's spec
     */
    public synchronized Started acceptSpec(JobSpec spec) {
        JobSettings settings = JobSettings.resolve(spec, TrainingSettings.DEFAULTS, SamplingSettings.DEFAULTS,
                setup.limits());
        Job job = job(settings.jobId());
        if (job.run != null) {
            if (job.spec.equals(spec)) {
                return new Started(SpecOutcome.UNCHANGED, List.of());
            }
            throw new BadInputException("JobSpec of job " + settings.jobId() + " differs from the one it is training"
                    + " with; a changed spec needs a new job id");
        }
        job.run = newRun(settings);
        job.spec = spec;
        List<CheckpointEvent> events = new ArrayList<>();
        for (PseudoTarget target : job.store.readAll()) {
            events.addAll(job.run.accept(target, Map.copyOf(job.nextOffsets)));
        }
        return new Started(SpecOutcome.STARTED, events);
    }

    /** The outcome of a spec and the checkpoints its held targets completed. */
    public record Started(SpecOutcome outcome, List<CheckpointEvent> checkpoints) {}

    /**
     * Takes a target consumed at {@code topic/partition@offset}: stored, and trained when its job has started.
     *
     * @return the checkpoints it completed; empty when it was a redelivery, is held or completed none
     * @throws BadInputException when the target's job id cannot name a directory
     */
    public synchronized Optional<List<CheckpointEvent>> acceptTarget(PseudoTarget target, String topic,
            int partition, long offset) {
        Job job = job(target.getHeader().getJobId());
        job.nextOffsets.put(topic + "/" + partition, offset + 1);
        if (!job.store.append(target)) {
            return Optional.of(List.of());
        }
        if (job.run == null) {
            return Optional.empty(); // held in the store until the JobSpec arrives
        }
        return Optional.of(job.run.accept(target, Map.copyOf(job.nextOffsets)));
    }

    /** Optimizer steps of a training job (for tests and logs); empty when it has not started or only materializes. */
    synchronized Optional<Long> steps(String jobId) {
        Job job = jobs.get(jobId);
        return job != null && job.run instanceof StreamingTrainingRun run ? Optional.of(run.steps()) : Optional.empty();
    }

    private Job job(String jobId) {
        return jobs.computeIfAbsent(TargetStore.safeName(jobId), id -> new Job(new TargetStore(setup.dataDir(), id)));
    }

    private JobRun newRun(JobSettings settings) {
        TrainingSettings training = settings.training();
        if (setup.materializeOnly()) {
            return new MaterializingRun(settings.jobId(), setup.checkpoints(), training.checkpointEverySteps());
        }
        String init = settings.student().hasInit() ? settings.student().initUri()
                : setup.defaultStudentInit().orElseThrow(() -> new BadInputException("JobSpec.student.init_uri: "
                        + "empty, and trainer.default-student-init is unset (pruning the teacher is not available yet)"));
        Path directory;
        try {
            directory = setup.store().resolve(init);
        } catch (BadInputException e) {
            throw new BadInputException("JobSpec.student.init_uri: " + e.getMessage(), e);
        }
        if (!Files.isRegularFile(directory.resolve("config.json"))) {
            throw new BadInputException("JobSpec.student.init_uri: " + init + " is not a model directory of the store"
                    + " (no config.json)");
        }
        long scheduleSteps = training.totalSteps() > 0 ? training.totalSteps() : setup.defaultTotalSteps();
        if (training.warmupSteps() > scheduleSteps) {
            throw new BadInputException("JobSpec.training.warmup_steps: " + training.warmupSteps()
                    + " is not allowed (must be 0.." + scheduleSteps + ", the schedule's steps)");
        }
        return new StreamingTrainingRun(settings, directory, scheduleSteps, setup.checkpoints());
    }

    @Override
    public synchronized void close() {
        jobs.values().forEach(Job::close);
    }

    private static final class Job {
        final TargetStore store;
        final Map<String, Long> nextOffsets = new TreeMap<>();
        JobSpec spec;
        JobRun run;

        Job(TargetStore store) {
            this.store = store;
        }

        void close() {
            if (run != null) {
                run.close();
            }
            store.close();
        }
    }
}
