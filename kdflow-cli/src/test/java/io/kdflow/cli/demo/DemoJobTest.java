package io.kdflow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.TrainingSpec;
import org.junit.jupiter.api.Test;

/** The JobSpec and the service properties carry the same hyper-parameters, derived from the options. */
class DemoJobTest {

    private final DemoJob job = new DemoJob(new DemoSettings(1600, 40, 16, 4, 30));

    @Test
    void shouldPutTheOptionsIntoTheJobSpec() {
        JobSpec spec = job.spec(RecordHeader.newBuilder().setJobId("demo-1").build());

        assertThat(spec.getHeader().getJobId()).isEqualTo("demo-1");
        assertThat(spec.getTask()).isEqualTo("shakespeare");
        assertThat(spec.getStudent().getInitUri()).isEqualTo("store:init/student");
        assertThat(spec.getTraining().getObjective()).isEqualTo(TrainingSpec.Objective.CROSS_ENTROPY);
        assertThat(spec.getTraining().getBatchSize()).isEqualTo(16);
        assertThat(spec.getTraining().getWarmupSteps()).isEqualTo(20);
        assertThat(spec.getTraining().getLearningRate()).isEqualTo(1e-3f);
        assertThat(spec.getTraining().getSeed()).isEqualTo(42);
        assertThat(spec.getEvaluation().getMaxDevExamples()).isEqualTo(40);
        assertThat(spec.getEvaluation().getNumBeams()).isEqualTo(4);
        assertThat(spec.getEvaluation().getMaxNewTokens()).isEqualTo(48);
        assertThat(spec.getEvaluation().getSelectionMetric()).isEqualTo("bleu");
    }

    @Test
    void shouldRepeatTheSameValuesAsServiceProperties() {
        JobSpec spec = job.spec(RecordHeader.getDefaultInstance());

        assertThat(job.serviceProperties("student-trainer")).containsExactly(
                entry("trainer.mode", "cross-entropy"),
                entry("trainer.student-init", spec.getStudent().getInitUri()),
                entry("trainer.batch-size", "16"),
                entry("trainer.checkpoint-every-steps", "25"),
                entry("trainer.total-steps", "100"),
                entry("trainer.warmup-steps", Integer.toString(spec.getTraining().getWarmupSteps())),
                entry("trainer.learning-rate", Float.toString(spec.getTraining().getLearningRate())));
        assertThat(job.serviceProperties("evaluator")).containsExactly(
                entry("evaluator.max-examples", "40"),
                entry("evaluator.num-beams", "4"),
                entry("evaluator.max-new-tokens", "48"));
        assertThat(job.serviceProperties("pt-sampler")).isEmpty();
    }

    private static java.util.Map.Entry<String, String> entry(String key, String value) {
        return java.util.Map.entry(key, value);
    }
}
