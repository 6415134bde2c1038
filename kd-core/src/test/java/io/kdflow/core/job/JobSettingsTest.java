package io.kdflow.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.wire.proto.DecodingSettings;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.PseudoTargetSpec;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.StudentSpec;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TrainingSpec;
import org.junit.jupiter.api.Test;

/** A JobSpec resolves to typed settings: unset fields take the defaults, bad values name field and range. */
class JobSettingsTest {

    @Test
    void shouldUseTheDocumentedDefaultsForAnEmptySpec() {
        JobSettings settings = JobSettings.resolve(spec(TrainingSpec.newBuilder(), PseudoTargetSpec.newBuilder()));

        assertThat(settings.jobId()).isEqualTo("job-1");
        assertThat(settings.training()).isEqualTo(TrainingSettings.DEFAULTS);
        assertThat(settings.sampling()).isEqualTo(SamplingSettings.DEFAULTS);
        assertThat(settings.student().hasInit()).isFalse();
        assertThat(TrainingSettings.DEFAULTS.batchSize()).isEqualTo(16);
        assertThat(TrainingSettings.DEFAULTS.learningRate()).isEqualTo(5e-4);
    }

    @Test
    void shouldTakeEverySetFieldIncludingMeaningfulZeros() {
        JobSpec spec = spec(TrainingSpec.newBuilder()
                        .setObjective(TrainingSpec.Objective.SEQUENCE_KD)
                        .setBatchSize(8).setGradientAccumulation(4).setLearningRate(1e-3f).setWeightDecay(0f)
                        .setWarmupSteps(0).setSeed(0).setEpochs(3).setTotalSteps(500).setCheckpointEverySteps(50)
                        .setMaxSourceTokens(128).setMaxTargetTokens(48).setEarlyStoppingPatience(2)
                        .setFinalFinetuneEpochs(1).setMaxGradNorm(0f),
                PseudoTargetSpec.newBuilder().setNumPseudoTargets(5).setIncludeUnlabeled(true)
                        .setDistributionTopK(16).setQuantization(TeacherDistribution.Quantization.INT8)
                        .setDecoding(DecodingSettings.newBuilder().setStrategy(DecodingSettings.Strategy.SAMPLING)
                                .setTopK(50).setTopP(0.95f).setNumReturnSequences(5)))
                .toBuilder().setStudent(StudentSpec.newBuilder().setInitUri("store:students/s1")
                        .addKeepDecoderLayers(0).addKeepDecoderLayers(-1)).build();

        JobSettings settings = JobSettings.resolve(spec);

        TrainingSettings t = settings.training();
        assertThat(t.objective()).isEqualTo(TrainingSettings.Objective.SEQUENCE_KD);
        assertThat(t.batchSize()).isEqualTo(8);
        assertThat(t.gradientAccumulation()).isEqualTo(4);
        assertThat(t.examplesPerStep()).isEqualTo(32);
        assertThat(t.learningRate()).isEqualTo(1e-3f);
        assertThat(t.weightDecay()).isZero();
        assertThat(t.seed()).isZero();
        assertThat(t.maxGradNorm()).isZero();
        assertThat(t.scheduleSteps(10_000)).isEqualTo(500);
        assertThat(t.checkpointEverySteps()).isEqualTo(50);
        assertThat(t.maxTargetTokens()).isEqualTo(48);
        SamplingSettings s = settings.sampling();
        assertThat(s.numPseudoTargets()).isEqualTo(5);
        assertThat(s.includeUnlabeled()).isTrue();
        assertThat(s.quantization()).isEqualTo(TeacherDistribution.Quantization.INT8);
        assertThat(s.decoding().getStrategy()).isEqualTo(DecodingSettings.Strategy.SAMPLING);
        assertThat(s.decoding().getTemperature()).as("unset: default").isEqualTo(1f);
        assertThat(s.decoding().getMaxNewTokens()).isEqualTo(64);
        assertThat(s.decoding().getNumReturnSequences()).isEqualTo(5);
        assertThat(settings.student().initUri()).isEqualTo("store:students/s1");
        assertThat(settings.student().keepDecoderLayers()).containsExactly(0, -1);
    }

    @Test
    void shouldDeriveTheScheduleFromEpochsWhenTotalStepsIsUnset() {
        TrainingSettings t = JobSettings.resolve(spec(TrainingSpec.newBuilder().setBatchSize(4).setEpochs(2),
                PseudoTargetSpec.newBuilder())).training();

        assertThat(t.totalSteps()).isZero();
        assertThat(t.scheduleSteps(10)).as("3 steps per epoch, 2 epochs").isEqualTo(6);
    }

    @Test
    void shouldNameTheFieldTheValueAndTheRangeOfABadValue() {
        assertRejected(TrainingSpec.newBuilder().setBatchSize(0),
                "JobSpec.training.batch_size: 0 is not allowed (must be 1..4096)");
        assertRejected(TrainingSpec.newBuilder().setBatchSize(5000),
                "JobSpec.training.batch_size: 5000 is not allowed (must be 1..4096)");
        assertRejected(TrainingSpec.newBuilder().setLearningRate(0f),
                "JobSpec.training.learning_rate: 0.0 is not allowed (must be > 0.0 and <= 1.0)");
        assertRejected(TrainingSpec.newBuilder().setLearningRate(Float.NaN),
                "JobSpec.training.learning_rate: NaN is not allowed (must be > 0.0 and <= 1.0)");
        assertRejected(TrainingSpec.newBuilder().setWeightDecay(-0.5f),
                "JobSpec.training.weight_decay: -0.5 is not allowed (must be >= 0.0 and <= 1.0)");
        assertRejected(TrainingSpec.newBuilder().setTotalSteps(10).setWarmupSteps(20),
                "JobSpec.training.warmup_steps: 20 is not allowed (must be 0..10)");
        assertRejected(TrainingSpec.newBuilder().setCheckpointEverySteps(0),
                "JobSpec.training.checkpoint_every_steps: 0 is not allowed (must be 1..10000000)");
        assertRejected(TrainingSpec.newBuilder().setMaxTargetTokens(0),
                "JobSpec.training.max_target_tokens: 0 is not allowed (must be 1..4096)");
        assertThatThrownBy(() -> JobSettings.resolve(spec(TrainingSpec.newBuilder(),
                PseudoTargetSpec.newBuilder().setNumPseudoTargets(65))))
                .isInstanceOf(BadInputException.class)
                .hasMessage("JobSpec.pseudo_targets.num_pseudo_targets: 65 is not allowed (must be 0..64)");
        assertThatThrownBy(() -> JobSettings.resolve(spec(TrainingSpec.newBuilder(), PseudoTargetSpec.newBuilder()
                .setDecoding(DecodingSettings.newBuilder().setTopP(1.5f)))))
                .isInstanceOf(BadInputException.class)
                .hasMessage("JobSpec.pseudo_targets.decoding.top_p: 1.5 is not allowed (must be > 0.0 and <= 1.0)");
    }

    @Test
    void shouldApplyTheLimitsAServicePasses() {
        JobLimits small = new JobLimits(8, 128, 1000, 4);
        JobSpec spec = spec(TrainingSpec.newBuilder().setBatchSize(16), PseudoTargetSpec.newBuilder());

        assertThatThrownBy(() -> JobSettings.resolve(spec, TrainingSettings.DEFAULTS, SamplingSettings.DEFAULTS, small))
                .isInstanceOf(BadInputException.class)
                .hasMessage("JobSpec.training.batch_size: 16 is not allowed (must be 1..8)");
    }

    @Test
    void shouldRefuseASpecWithoutJobId() {
        assertThatThrownBy(() -> JobSettings.resolve(JobSpec.getDefaultInstance()))
                .isInstanceOf(BadInputException.class).hasMessage("JobSpec.header.job_id: must not be empty");
    }

    private static void assertRejected(TrainingSpec.Builder training, String message) {
        assertThatThrownBy(() -> JobSettings.resolve(spec(training, PseudoTargetSpec.newBuilder())))
                .isInstanceOf(BadInputException.class).hasMessage(message);
    }

    private static JobSpec spec(TrainingSpec.Builder training, PseudoTargetSpec.Builder pseudoTargets) {
        return JobSpec.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(1).setJobId("job-1"))
                .setTraining(training)
                .setPseudoTargets(pseudoTargets)
                .build();
    }
}
