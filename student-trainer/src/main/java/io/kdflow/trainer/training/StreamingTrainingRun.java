package io.kdflow.trainer.training;

import io.kdflow.core.job.JobSettings;
import io.kdflow.core.train.JobObjectives;
import io.kdflow.core.train.ObjectiveSpec;
import io.kdflow.core.train.StepReport;
import io.kdflow.core.train.StreamingBatches;
import io.kdflow.core.train.StudentTraining;
import io.kdflow.core.train.TrainingExample;
import io.kdflow.core.train.TrainingLoop;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One job's student trained by kd-core's {@link TrainingLoop} on its targets as they stream in; each
 * checkpoint the loop asks for is saved (weights and resume state) into the model store and sealed with the
 * consumed offsets.
 */
final class StreamingTrainingRun implements JobRun {

    private static final Logger LOG = Logger.getLogger(StreamingTrainingRun.class);

    private final String jobId;
    private final CheckpointWriter checkpoints;
    private final StreamingBatches batches;
    private final StudentTraining training;
    private final List<CheckpointEvent> completed = new ArrayList<>();
    private Map<String, Long> nextOffsets = Map.of();
    private long targets;

    StreamingTrainingRun(JobSettings settings, Path studentInit, long scheduleSteps, CheckpointWriter checkpoints) {
        this.jobId = settings.jobId();
        this.checkpoints = checkpoints;
        this.batches = new StreamingBatches(settings.training().batchSize(), settings.training().seed());
        // No teacher in this process (yet): KD reads the teacher's sparse distributions from the records.
        ObjectiveSpec objective = JobObjectives.of(settings, ObjectiveSpec.TeacherSource.RECORDS);
        this.training = StudentTraining.open(studentInit, settings.training(), objective, Optional.empty(), batches,
                scheduleSteps);
        training.loop().onCheckpoint(this::checkpoint);
        LOG.infof("job %s: training %s from %s, %d steps", jobId, objective.kind(), studentInit, scheduleSteps);
    }

    @Override
    public List<CheckpointEvent> accept(PseudoTarget target, Map<String, Long> nextOffsets) {
        this.nextOffsets = nextOffsets;
        targets++;
        // The record itself: its token ids are the ones the teacher's distribution rows belong to.
        batches.add(new TrainingExample(target));
        training.loop().run(Long.MAX_VALUE);
        List<CheckpointEvent> events = List.copyOf(completed);
        completed.clear();
        return events;
    }

    /** Optimizer steps done. */
    long steps() {
        return training.loop().steps();
    }

    private void checkpoint(TrainingLoop loop, StepReport last) {
        long step = last.stepsDone();
        Path directory = checkpoints.directoryOf(jobId, step);
        training.save(directory);
        LOG.infof("job %s: checkpoint at step %d (train loss %.4f, %.0f tokens/s)", jobId, step, last.result().loss(),
                last.tokensPerSecond());
        completed.add(checkpoints.seal(jobId, step, directory, nextOffsets, Map.of(
                "mode", loop.objectiveName(),
                "train_loss", String.format(Locale.ROOT, "%.6f", last.result().loss()),
                "targets", Long.toString(targets))));
    }

    @Override
    public void close() {
        training.close();
    }
}
