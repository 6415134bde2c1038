package io.kdflow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.TrainingSpec;
import org.junit.jupiter.api.Test;

/** The JobSpec carries every hyper-parameter of the demo job, derived from the options. */
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
        assertThat(spec.getTraining().getTotalSteps()).isEqualTo(100);
        assertThat(spec.getTraining().getCheckpointEverySteps()).isEqualTo(25);
        assertThat(spec.getTraining().getLearningRate()).isEqualTo(1e-3f);
        assertThat(spec.getTraining().getSeed()).isEqualTo(42);
        assertThat(spec.getEvaluation().getMaxDevExamples()).isEqualTo(40);
        assertThat(spec.getEvaluation().getNumBeams()).isEqualTo(4);
        assertThat(spec.getEvaluation().getMaxNewTokens()).isEqualTo(48);
        assertThat(spec.getEvaluation().getSelectionMetric()).isEqualTo("bleu");
    }
}
