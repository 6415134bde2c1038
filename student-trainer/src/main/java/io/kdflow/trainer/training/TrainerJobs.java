package io.kdflow.trainer.training;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobLimits;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.job.SamplingSettings;
import io.kdflow.core.job.TrainingSettings;
import io.kdflow.core.local.LocalOptions;
import io.kdflow.core.local.LocalProgress;
import io.kdflow.core.local.StreamingPtRecords;
import io.kdflow.core.local.StudentPhases;
import io.kdflow.core.local.TrainingListener;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.trainer.metrics.TrainerGauges;
import java.nio.file.Files;
import io.kdflow.trainer.jointteaching.RemoteStudentScorer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Every job this trainer process serves. A job's PT records are stored locally (de-duplicated) as they arrive,
 * whatever else has arrived; its run ({@link JobDistillation}) starts once both its JobSpec and its teacher-ready
 * checkpoint event are in (Kafka orders nothing across topics), one run at a time on a worker thread, and reads
 * the records through a {@link StreamingPtRecords} fed from the store. Safe for the consumer threads.
 */
public final class TrainerJobs implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TrainerJobs.class);

    /**
     * How runs are made.
     *
     * @param dataDir where each job's PT stream is materialized
     * @param checkpoints seals checkpoints in the model store (run directories {@code <store>/<job>/run/}, cache
     *     {@code <store>/cache/})
     * @param limits the largest batch and sequences a job may ask for
     * @param remoteScorers opens the round trip to teacher-service for a job's remote Joint-Teaching
     *     ({@code training.joint_teaching: REMOTE}); empty: such a job is rejected
     * @param publish publishes a checkpoint event (and waits for the broker), called on the worker thread
     * @param onRunFailure told when a job's run fails (the service dead-letters the job's spec with the reason, so
     *     that whoever follows the job learns it at once)
     */
    public record Setup(Path dataDir, CheckpointWriter checkpoints, JobLimits limits,
            Optional<Function<String, RemoteStudentScorer>> remoteScorers,
            TrainerGauges gauges, Consumer<CheckpointEvent> publish,
            BiConsumer<JobSpec, RuntimeException> onRunFailure) {}

    /** What accepting a JobSpec did. */
    public enum SpecOutcome { ACCEPTED, STARTED, UNCHANGED }

    private final Setup setup;
    private final Map<String, Job> jobs = new HashMap<>();
    private final Map<String, Long> stopAfterSteps = new HashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "student-trainer-run");
        thread.setDaemon(true);
        return thread;
    });

    public TrainerJobs(Setup setup) {
        this.setup = setup;
    }

    /**
     * Takes a job's spec: checked (settings, data files, objective), then its run starts when the teacher is
     * ready.
     *
     * @throws BadInputException naming the field, for a spec that cannot run or that changes a job's spec
     */
    public synchronized SpecOutcome acceptSpec(JobSpec spec) {
        JobSettings settings = JobSettings.resolve(spec, TrainingSettings.DEFAULTS, SamplingSettings.DEFAULTS,
                setup.limits());
        Job job = job(settings.jobId());
        if (job.spec != null) {
            if (job.spec.equals(spec)) {
                return SpecOutcome.UNCHANGED;
            }
            throw new BadInputException("JobSpec of job " + settings.jobId() + " differs from the one it is training"
                    + " with; a changed spec needs a new job id");
        }
        if (settings.jointTeaching().mode() == TrainingSettings.JointTeaching.REMOTE
                && setup.remoteScorers().isEmpty()) {
            throw new BadInputException("JobSpec.training.joint_teaching: REMOTE is not available in this"
                    + " student-trainer (it was started without a Kafka client for teacher-service's scores); use LOCAL (the"
                    + " trainer holds the teacher) or JOINT_TEACHING_OFF");
        }
        StudentPhases.JobData data = StudentPhases.JobData.read(spec, settings);
        JobDistillation.phases(spec, settings, data, options(settings.jobId()), LocalProgress.NONE,
                TrainingListener.NONE).check();
        job.spec = spec;
        job.settings = settings;
        job.data = data;
        return startIfReady(job) ? SpecOutcome.STARTED : SpecOutcome.ACCEPTED;
    }

    /**
     * Takes a checkpoint event: a TEACHER one of a job (key {@code <job>/teacher}) is its teacher-ready event;
     * others (the students', this trainer's own) are none of its business.
     *
     * @return whether it was a teacher-ready event this trainer had not seen
     * @throws BadInputException when the event's URI does not name a model directory of the store
     */
    public synchronized boolean acceptCheckpoint(CheckpointEvent event) {
        if (event.getRole() != ModelRole.TEACHER || !event.getFinal()) {
            return false;
        }
        Path directory;
        try {
            directory = setup.checkpoints().store().resolve(event.getUri());
        } catch (BadInputException e) {
            throw new BadInputException("CheckpointEvent.uri: " + e.getMessage(), e);
        }
        if (!Files.isRegularFile(directory.resolve("config.json"))) {
            throw new BadInputException("CheckpointEvent.uri: " + event.getUri() + " is not a model directory of the"
                    + " store (no config.json)");
        }
        Job job = job(event.getHeader().getJobId());
        if (job.teacher != null) {
            return false;
        }
        job.teacher = directory;
        startIfReady(job);
        return true;
    }

    /**
     * Takes a PT record consumed at {@code topic/partition@offset}: stored once, and handed to its job's run.
     *
     * @return false for a redelivery
     * @throws BadInputException when the record's job id cannot name a directory
     */
    public synchronized boolean acceptTarget(PseudoTarget target, String topic, int partition, long offset) {
        Job job = job(target.getHeader().getJobId());
        job.nextOffsets.put(topic + "/" + partition, offset + 1);
        if (!job.store.append(target)) {
            // A copy of a stored record: the sampler regenerated it, or this trainer stored it and crashed
            // before the consumer committed its offset. Counted, not stored (RELIABILITY: first copy wins).
            job.accounting.ptDuplicate();
            setup.gauges().ptDuplicate(target.getHeader().getJobId());
            return false;
        }
        job.records.add(target);
        return true;
    }

    /**
     * A test hook: the runs this process starts stop after {@code steps} optimizer steps of {@code phase} with kd-core's
     * {@code LocalInterruption}, leaving the run directory as a crash between checkpoints leaves it.
     */
    synchronized TrainerJobs stoppingAfter(String phase, long steps) {
        stopAfterSteps.put(phase, steps);
        return this;
    }

    /** The PT-topic offsets of {@code jobId} consumed so far ("topic/partition" to the next offset). */
    synchronized Map<String, Long> consumed(String jobId) {
        return Map.copyOf(jobs.get(jobId).nextOffsets);
    }

    private boolean startIfReady(Job job) {
        if (job.spec == null || job.teacher == null || job.started) {
            return false;
        }
        job.started = true;
        JobDistillation run = new JobDistillation(job.spec, job.settings, job.data, options(job.settings.jobId()),
                job.teacher, job.records, setup, () -> consumed(job.settings.jobId()), job.accounting,
                job.store::size);
        worker.submit(() -> {
            try {
                run.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "job %s: the run failed", job.settings.jobId());
                setup.onRunFailure().accept(job.spec, e);
            } catch (Error e) {
                LOG.errorf(e, "job %s: the run failed", job.settings.jobId());
                setup.onRunFailure().accept(job.spec, new IllegalStateException(e.toString(), e));
            }
        });
        LOG.infof("job %s: run queued (teacher %s)", job.settings.jobId(), job.teacher);
        return true;
    }

    /** Run directory {@code <store>/<job>/run/}, cache {@code <store>/cache/} (the CE baselines). */
    private LocalOptions options(String jobId) {
        Path store = setup.checkpoints().store().root();
        LocalOptions options = LocalOptions.of(store.resolve("cache")).withRunDir(store.resolve(
                TargetStore.safeName(jobId)).resolve("run"));
        for (Map.Entry<String, Long> stop : stopAfterSteps.entrySet()) {
            options = options.stoppingAfter(stop.getKey(), stop.getValue());
        }
        return options;
    }

    private Job job(String jobId) {
        return jobs.computeIfAbsent(TargetStore.safeName(jobId), id -> {
            setup.gauges().registerCounters(id);
            return new Job(new TargetStore(setup.dataDir(), id), new JobAccounting(setup.dataDir().resolve(id)));
        });
    }

    @Override
    public void close() {
        synchronized (this) {
            jobs.values().forEach(job -> job.records.cancel("student-trainer is stopping"));
        }
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("a run did not stop within 30 s; its phases resume from their last checkpoint");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            jobs.values().forEach(job -> job.store.close());
        }
    }

    /** One job: its stored stream, what has arrived, whether its run started. */
    private static final class Job {
        final TargetStore store;
        final JobAccounting accounting;
        final StreamingPtRecords records = new StreamingPtRecords();
        final Map<String, Long> nextOffsets = new TreeMap<>();
        JobSpec spec;
        JobSettings settings;
        StudentPhases.JobData data;
        Path teacher;
        boolean started;

        Job(TargetStore store, JobAccounting accounting) {
            this.store = store;
            this.accounting = accounting;
            // Records stored before a restart: the consumer group's committed offsets skip them.
            store.readAll().forEach(records::add);
        }
    }
}
