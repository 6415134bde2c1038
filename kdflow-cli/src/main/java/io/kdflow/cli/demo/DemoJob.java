package io.kdflow.cli.demo;

import io.kdflow.core.wire.proto.EvaluationSpec;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.StudentSpec;
import io.kdflow.core.wire.proto.TrainingSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo job's hyper-parameters, in one place: the {@link JobSpec} published on {@code kdflow.jobs.v1} and,
 * until the services read their job settings from it, the same values as service properties.
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
                        .setSeed(SEED))
                .setEvaluation(EvaluationSpec.newBuilder()
                        .setNumBeams(NUM_BEAMS)
                        .setMaxNewTokens(MAX_NEW_TOKENS)
                        .setSelectionMetric(SELECTION_METRIC)
                        .setMaxDevExamples(settings.devExamples()))
                .build();
    }

    /**
     * The job's hyper-parameters as {@code -D} properties of {@code service}: the services do not read
     * {@code kdflow.jobs.v1} yet. Drop this once they do.
     */
    Map<String, String> serviceProperties(String service) {
        Map<String, String> properties = new LinkedHashMap<>();
        switch (service) {
            case "student-trainer" -> {
                properties.put("trainer.mode", "cross-entropy");
                properties.put("trainer.student-init", STUDENT_INIT);
                properties.put("trainer.batch-size", Integer.toString(settings.batchSize()));
                properties.put("trainer.checkpoint-every-steps", Integer.toString(settings.checkpointEverySteps()));
                properties.put("trainer.total-steps", Integer.toString(settings.steps()));
                properties.put("trainer.warmup-steps", Integer.toString(WARMUP_STEPS));
                properties.put("trainer.learning-rate", Float.toString(LEARNING_RATE));
            }
            case "evaluator" -> {
                properties.put("evaluator.max-examples", Integer.toString(settings.devExamples()));
                properties.put("evaluator.num-beams", Integer.toString(NUM_BEAMS));
                properties.put("evaluator.max-new-tokens", Integer.toString(MAX_NEW_TOKENS));
            }
            default -> { }
        }
        return properties;
    }
}
