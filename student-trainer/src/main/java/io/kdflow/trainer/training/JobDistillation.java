package io.kdflow.trainer.training;

import io.kdflow.core.job.JobSettings;
import io.kdflow.core.local.DevPoint;
import io.kdflow.core.local.LocalOptions;
import io.kdflow.core.local.LocalProgress;
import io.kdflow.core.local.PhaseOutcome;
import io.kdflow.core.local.StreamingPtRecords;
import io.kdflow.core.local.StudentPhases;
import io.kdflow.core.local.TrainingListener;
import io.kdflow.core.train.StepReport;
import io.kdflow.core.train.objective.JointTeachingSchedule;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.job.TrainingSettings;
import io.kdflow.trainer.jointteaching.RemoteStudentScorer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One job's distillation in the trainer: kd-core's {@link StudentPhases} (student init, CE baseline, KD, final
 * fine-tune; the test phase is the evaluator's) on the PT records as they stream in, with the checkpoint events of
 * the pipeline: a non-final STUDENT one at each dev evaluation of KD and the final fine-tune, the final
 * STUDENT_BASELINE after the baseline, the final STUDENT at the end; each with the PT offsets consumed so far.
 */
final class JobDistillation implements Runnable {

    private static final Logger LOG = Logger.getLogger(JobDistillation.class);
    private static final String BASELINE = "baseline";

    private final JobSpec spec;
    private final JobSettings settings;
    private final StudentPhases.JobData data;
    private final LocalOptions options;
    private final Path teacherDir;
    private final StreamingPtRecords records;
    private final TrainerJobs.Setup setup;
    private final Supplier<Map<String, Long>> consumed;
    private final JobAccounting accounting;
    private final IntSupplier trained;

    /**
     * @param accounting the job's delivery counters (kept across restarts)
     * @param trained distinct PT records in the job's training set
     */
    JobDistillation(JobSpec spec, JobSettings settings, StudentPhases.JobData data, LocalOptions options,
            Path teacherDir, StreamingPtRecords records, TrainerJobs.Setup setup,
            Supplier<Map<String, Long>> consumed, JobAccounting accounting, IntSupplier trained) {
        this.spec = spec;
        this.settings = settings;
        this.data = data;
        this.options = options;
        this.teacherDir = teacherDir;
        this.records = records;
        this.setup = setup;
        this.consumed = consumed;
        this.accounting = accounting;
        this.trained = trained;
    }

    /** The phases of a job, run directory from {@code options}. */
    static StudentPhases phases(JobSpec spec, JobSettings settings, StudentPhases.JobData data, LocalOptions options,
            LocalProgress progress, TrainingListener listener) {
        return new StudentPhases(spec, settings, data, options, options.runDir().orElseThrow(), progress, listener);
    }

    @Override
    public void run() {
        String job = settings.jobId();
        LOG.infof("job %s: distilling from %s into %s", job, teacherDir, options.runDir().orElseThrow());
        if (accounting.runStarting()) {
            // kd-core's phases pick up from their run-directory checkpoints (finished phases by their markers)
            setup.gauges().resumed(job);
            LOG.infof("job %s: resuming the run of an earlier process (resume %d)", job, accounting.resumes());
        }
        StudentPhases phases = phases(spec, settings, data, options, new Notes(job), new Events());
        Optional<RemoteStudentScorer> scorer = remoteScorer();
        StudentPhases.Outcome outcome;
        try {
            scorer.ifPresent(phases::withSampleScorer);
            outcome = phases.run(teacherDir, records);
        } finally {
            scorer.ifPresent(s -> {
                scoreCounts.update(s); // copies that came during the last step
                s.close();
            });
        }
        if (scorer.isPresent()) {
            LOG.infof("job %s: %d remote Joint-Teaching round trips to teacher-service, staleness at most %d steps,"
                    + " %.1f s waited for scores", job, roundTrips.trips, roundTrips.maxStaleness,
                    roundTrips.waitedSeconds);
        }
        PhaseOutcome student = outcome.student();
        publish(ModelRole.STUDENT, true, student.phase(), student.best(), Path.of(student.bestDir()),
                accounting.metrics(trained.getAsInt()));
        accounting.runFinished();
        setup.gauges().dataWait(job, records.waitingSeconds());
        LOG.infof("job %s: done, student %s (%s)", job, student.bestDir(), student.best().metrics());
    }

    /** Remote Joint-Teaching's round trip to teacher-service, its staleness and waits on the gauges. */
    private Optional<RemoteStudentScorer> remoteScorer() {
        if (settings.jointTeaching().mode() != TrainingSettings.JointTeaching.REMOTE) {
            return Optional.empty();
        }
        String job = settings.jobId();
        RemoteStudentScorer scorer = setup.remoteScorers().orElseThrow().apply(job);
        scorer.onRoundTrip(trip -> {
            scoreCounts.update(scorer);
            setup.gauges().scores(job, trip.staleness(), trip.waited().toMillis() / 1e3);
            roundTrips.add(trip.staleness(), trip.waited().toMillis() / 1e3);
        });
        return Optional.of(scorer);
    }

    /** Which term a step's loss is: Joint-Teaching's KD steps are on the teacher's targets or the student's samples. */
    private String lossTerm(String phase, long step) {
        if (!phase.equals("kd") || settings.jointTeaching().mode() == TrainingSettings.JointTeaching.OFF) {
            return "targets";
        }
        return new JointTeachingSchedule(settings.jointTeaching().studentPtFraction()).studentStep(step)
                ? "student_samples" : "teacher_targets";
    }

    /** Remote Joint-Teaching's round trips so far (the training thread's). */
    private static final class RoundTrips {
        long trips;
        long maxStaleness;
        double waitedSeconds;

        void add(long staleness, double waited) {
            trips++;
            maxStaleness = Math.max(maxStaleness, staleness);
            waitedSeconds += waited;
        }
    }

    private final RoundTrips roundTrips = new RoundTrips();

    /** The remote scorer's counts handed to the job's accounting (the training thread's). */
    private final class ScoreCounts {
        long received;
        long duplicates;

        void update(RemoteStudentScorer scorer) {
            long newDuplicates = scorer.duplicates() - duplicates;
            accounting.scores(scorer.received() - received, newDuplicates);
            if (newDuplicates > 0) {
                setup.gauges().scoresDuplicate(settings.jobId(), newDuplicates);
            }
            received = scorer.received();
            duplicates = scorer.duplicates();
        }
    }

    private final ScoreCounts scoreCounts = new ScoreCounts();

    private void publish(ModelRole role, boolean last, String phase, DevPoint point, Path directory,
            Map<String, Double> trainer) {
        Map<String, Double> metrics = new LinkedHashMap<>(trainer);
        point.metrics().forEach((name, value) -> metrics.put("dev_" + name, value));
        CheckpointEvent.Builder event = CheckpointEvent.newBuilder()
                .setRole(role)
                .setFinal(last)
                .setStep(point.step())
                .setEpoch(point.epoch())
                .setPhase(phase)
                .putAllMetrics(metrics);
        setup.publish().accept(setup.checkpoints().seal(settings.jobId(), event, directory, consumed.get(),
                Map.of("phase", phase, "role", role.name())));
    }

    /** The phases' notes in the service log. */
    private static final class Notes implements LocalProgress {

        private final String job;

        Notes(String job) {
            this.job = job;
        }

        @Override
        public void onProgress(Update update) {
            LOG.debugf("job %s: %s %d/%d %s %s", job, update.phase(), update.done(), update.total(), update.unit(),
                    update.detail());
        }

        @Override
        public void onNote(String message) {
            LOG.infof("job %s: %s", job, message);
        }
    }

    /** Checkpoint events and gauges from the training thread. */
    private final class Events implements TrainingListener {

        private String phase = "";

        @Override
        public void onStep(String name, StepReport report) {
            String job = settings.jobId();
            if (!name.equals(phase)) {
                phase = name;
                setup.gauges().phase(job, name);
            }
            setup.gauges().step(job, name, report.stepsDone(), report.result().loss(), report.tokensPerSecond());
            setup.gauges().lossTerm(job, name, lossTerm(name, report.result().step()), report.result().loss());
            setup.gauges().dataWait(job, records.waitingSeconds());
        }

        @Override
        public void onEvaluation(Evaluation evaluation) {
            if (evaluation.phase().equals(BASELINE)) {
                return; // the baseline is announced once, when it is done
            }
            Map<String, Double> trainer = new LinkedHashMap<>();
            trainer.put("train_loss", evaluation.trainLoss());
            trainer.put("tokens_per_second", evaluation.tokensPerSecond());
            publish(ModelRole.STUDENT, false, evaluation.phase(), evaluation.point(), evaluation.checkpoint(),
                    trainer);
        }

        @Override
        public void onPhaseEnd(PhaseOutcome outcome) {
            if (outcome.phase().equals(BASELINE)) {
                publish(ModelRole.STUDENT_BASELINE, true, BASELINE, outcome.best(), Path.of(outcome.bestDir()),
                        Map.of());
            }
        }
    }
}
