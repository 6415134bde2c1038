package io.kdflow.cli.demo;

import io.kdflow.core.wire.proto.EvaluationSpec;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.StudentSpec;
import io.kdflow.core.wire.proto.TrainingSpec;

/**
 * The demo job's hyper-parameters, in one place: the {@link JobSpec} published on {@code kdflow.jobs.v1}, from
 * which the trainer, the sampler and the evaluator read their job's settings.
 */
final class DemoJob {

    /** Linear learning-rate warm-up of the trainer; the demo needs at least this many steps. */
    static final int WARMUP_STEPS = 20;
    /** The starting student that {@link DemoStudent} writes into the model store. */
    static final String STUDENT_INIT = "store:init/student";
    /** Seeds the starting student, the trainer and the records' provenance. */
    static final long SEED = 42;

    private static final String TASK = "shakespeare";
    private static final float LEARNING_RATE = 1e-3f;

    private static final int NUM_BEAMS = 4;
    private static final int MAX_NEW_TOKENS = 48;
    private static final String SELECTION_METRIC = "bleu";

    private final DemoSettings settings;

    DemoJob(DemoSettings settings) {
        this.settings = settings;
    }

    JobSpec spec(RecordHeader header) {
        return JobSpec.newBuilder()
                .setHeader(header)
                .setTask(TASK)
                .setStudent(StudentSpec.newBuilder().setInitUri(STUDENT_INIT))
                .setTraining(TrainingSpec.newBuilder()
                        .setObjective(TrainingSpec.Objective.CROSS_ENTROPY)
                        .setBatchSize(settings.batchSize())
                        .setLearningRate(LEARNING_RATE)
                        .setWarmupSteps(WARMUP_STEPS)
                        .setTotalSteps(settings.steps())
                        .setCheckpointEverySteps(settings.checkpointEverySteps())
                        .setSeed(SEED))
                .setEvaluation(EvaluationSpec.newBuilder()
                        .setNumBeams(NUM_BEAMS)
                        .setMaxNewTokens(MAX_NEW_TOKENS)
                        .setSelectionMetric(SELECTION_METRIC)
                        .setMaxDevExamples(settings.devExamples()))
                .build();
    }
}
