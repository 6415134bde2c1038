package io.kdflow.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.pt.PtDecoding;
import io.kdflow.core.wire.proto.DecodingSettings;
import io.kdflow.core.wire.proto.DenoisingSpec;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelShapeSpec;
import io.kdflow.core.wire.proto.ObjectiveSpec;
import io.kdflow.core.wire.proto.PseudoTargetSpec;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.StudentSpec;
import io.kdflow.core.wire.proto.TaskSpec;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TeacherSpec;
import io.kdflow.core.wire.proto.TrainingSpec;
import java.util.Optional;
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

    @Test
    void shouldResolveTheObjectiveKindsAndTheirParameters() {
        JobSettings settings = JobSettings.resolve(spec(TrainingSpec.newBuilder()
                .setObjective(TrainingSpec.Objective.GENERALIZED_JSD).setKdTemperature(2f)
                .setObjectiveSettings(ObjectiveSpec.newBuilder().setGjsdBeta(0f).setTeacherDropout(0.3f))
                .setJointTeaching(TrainingSpec.JointTeaching.REMOTE).setStudentPtFraction(1f)
                .setMaxStalenessSteps(4), PseudoTargetSpec.newBuilder()));

        assertThat(settings.objective()).isEqualTo(new ObjectiveSettings(ObjectiveSettings.Kind.GENERALIZED_JSD, 2.0,
                0.0, (double) 0.3f, 0, 0.5, 100));
        assertThat(settings.training().objective()).as("the nearest of the four older kinds")
                .isEqualTo(TrainingSettings.Objective.LOGITS_KD);
        assertThat(settings.jointTeaching()).isEqualTo(new JointTeachingSettings(TrainingSettings.JointTeaching.REMOTE,
                1.0, 4));
        assertThat(JobSettings.resolve(spec(TrainingSpec.newBuilder().setObjective(TrainingSpec.Objective.NOISY_KD),
                PseudoTargetSpec.newBuilder())).objective().kind()).isEqualTo(ObjectiveSettings.Kind.NOISY_KD);
        assertRejected(TrainingSpec.newBuilder().setObjectiveSettings(ObjectiveSpec.newBuilder().setGjsdBeta(1.5f)),
                "JobSpec.training.objective_settings.gjsd_beta: 1.5 is not allowed (must be >= 0.0 and <= 1.0)");
        assertRejected(TrainingSpec.newBuilder().setStudentPtFraction(-0.5f),
                "JobSpec.training.student_pt_fraction: -0.5 is not allowed (must be >= 0.0 and <= 1.0)");
    }

    @Test
    void shouldDeriveThePtModeAndItsDecoding() {
        SamplingSettings sampling = JobSettings.resolve(spec(TrainingSpec.newBuilder(), PseudoTargetSpec.newBuilder()
                .setNumPseudoTargets(2).setMode(PseudoTargetSpec.Mode.HIGH_TEMPERATURE_SAMPLING)
                .setIncludeLabeled(false).setBatchSize(8))).sampling();

        assertThat(sampling.mode()).isEqualTo(PtDecoding.HIGH_TEMPERATURE_SAMPLING);
        assertThat(sampling.decoding().getStrategy()).isEqualTo(DecodingSettings.Strategy.SAMPLING);
        assertThat(sampling.decoding().getTemperature()).isEqualTo(1.5f);
        assertThat(sampling.decoding().getTopK()).isEqualTo(50);
        assertThat(sampling.decoding().getTopP()).isEqualTo(0.95f);
        assertThat(sampling.includeLabeled()).isFalse();
        assertThat(sampling.batchSize()).isEqualTo(8);
        assertThat(JobSettings.resolve(spec(TrainingSpec.newBuilder(), PseudoTargetSpec.newBuilder()
                .setDecoding(DecodingSettings.newBuilder().setStrategy(DecodingSettings.Strategy.SAMPLING))))
                .sampling().mode()).as("no mode: from the decoding").isEqualTo(PtDecoding.SAMPLING);
        assertThatThrownBy(() -> JobSettings.resolve(spec(TrainingSpec.newBuilder(), PseudoTargetSpec.newBuilder()
                .setMode(PseudoTargetSpec.Mode.SAMPLING).setDecoding(DecodingSettings.newBuilder()
                        .setStrategy(DecodingSettings.Strategy.BEAM_SEARCH)))))
                .isInstanceOf(BadInputException.class)
                .hasMessage("JobSpec.pseudo_targets.decoding.strategy: BEAM_SEARCH is not allowed (must be SAMPLING,"
                        + " the strategy of mode SAMPLING)");
    }

    @Test
    void shouldResolveTheTeacherFromEitherFormOfTheSpec() {
        JobSpec base = spec(TrainingSpec.newBuilder().setSeed(9).setMaxSourceTokens(40), PseudoTargetSpec.newBuilder());

        assertThat(JobSettings.resolve(base).teacher()).isEmpty();
        TeacherSettings given = JobSettings.resolve(base.toBuilder().setTeacherUri("store:teachers/t1").build())
                .teacher().orElseThrow();
        assertThat(given.source()).isEqualTo(TeacherSettings.Source.PRETRAINED);
        assertThat(given.dir()).contains("store:teachers/t1");
        assertThat(JobSettings.resolve(base.toBuilder().setTeacherInitUri("store:bart").build()).teacher()
                .orElseThrow().source()).isEqualTo(TeacherSettings.Source.FINE_TUNE);

        TeacherSettings trained = JobSettings.resolve(base.toBuilder().setTeacher(TeacherSpec.newBuilder()
                .setShape(ModelShapeSpec.newBuilder().setDModel(128).setAttentionHeads(4))
                .setPretraining(DenoisingSpec.newBuilder().setEpochs(3).setMaskRatio(0.2f))).build())
                .teacher().orElseThrow();
        assertThat(trained.source()).as("no dir: trained here").isEqualTo(TeacherSettings.Source.TRAIN);
        assertThat(trained.shape().dModel()).contains(128);
        assertThat(trained.pretrainingEpochs()).isEqualTo(3);
        assertThat(trained.denoising().maskRatio()).isEqualTo((double) 0.2f);
        assertThat(trained.denoising().maxSourceTokens()).isEqualTo(40);
        assertThat(trained.fineTuning().seed()).isEqualTo(9);
        assertThat(trained.tokenizer()).isEqualTo(TeacherSettings.TokenizerSettings.DEFAULTS);

        assertTeacherRejected(TeacherSpec.newBuilder().setSource(TeacherSpec.Source.TRAIN).setDir("models/t"),
                "JobSpec.teacher.dir: 'models/t' is set for source TRAIN (a Hugging Face directory for PRETRAINED and"
                        + " FINE_TUNE, none for TRAIN)");
        assertTeacherRejected(TeacherSpec.newBuilder().setDir("models/t").setPretraining(DenoisingSpec.newBuilder()),
                "JobSpec.teacher.source: PRETRAINED takes its tokenizer and model from dir (tokenizer, config_uri,"
                        + " shape and pretraining apply to TRAIN only)");
        assertTeacherRejected(TeacherSpec.newBuilder().setShape(ModelShapeSpec.newBuilder().setDModel(100)
                        .setAttentionHeads(3)),
                "JobSpec.teacher.shape.attention_heads: 3 does not divide d_model 100 (heads must split the hidden"
                        + " size evenly)");
        assertTeacherRejected(TeacherSpec.newBuilder().setFineTuning(TrainingSpec.newBuilder()
                        .setObjective(TrainingSpec.Objective.LOGITS_KD)),
                "JobSpec.teacher.fine_tuning.objective: LOGITS_KD is not allowed (must be CROSS_ENTROPY: this phase"
                        + " trains on gold only)");
    }

    @Test
    void shouldResolveTheStudentSourceAndItsLayerLists() {
        JobSpec base = spec(TrainingSpec.newBuilder(), PseudoTargetSpec.newBuilder());

        StudentSettings dir = JobSettings.resolve(base.toBuilder().setStudent(StudentSpec.newBuilder()
                .setInitUri("models/bart-base").addKeepDecoderLayers(0).addKeepDecoderLayers(-1)).build()).student();
        assertThat(dir.source()).isEqualTo(StudentSettings.Source.DIR);
        assertThat(dir.keepDecoderLayers()).containsExactly(0, -1);
        assertThat(JobSettings.resolve(base.toBuilder().setStudent(StudentSpec.newBuilder()
                .setConfigUri("configs/s.json")).build()).student().source()).isEqualTo(StudentSettings.Source.CONFIG);
        assertThatThrownBy(() -> JobSettings.resolve(base.toBuilder().setStudent(StudentSpec.newBuilder()
                .setConfigUri("configs/s.json").addKeepDecoderLayers(0)).build()))
                .isInstanceOf(BadInputException.class)
                .hasMessage("JobSpec.student.keep_decoder_layers: layer lists prune the teacher or the directory"
                        + " (sources PRUNED_TEACHER and DIR), not a new model of a config (the source is CONFIG)");
        assertThatThrownBy(() -> JobSettings.resolve(base.toBuilder().setStudent(StudentSpec.newBuilder()
                .setSource(StudentSpec.Source.DIR)).build()))
                .isInstanceOf(BadInputException.class)
                .hasMessage("JobSpec.student.init_uri: '' does not fit source DIR (set exactly when the source is DIR)");
    }

    @Test
    void shouldResolveTheTaskAndTheBaseline() {
        JobSpec spec = spec(TrainingSpec.newBuilder().setEpochs(4).setBatchSize(8)
                .setObjective(TrainingSpec.Objective.LOGITS_KD).setFinalFinetuneEpochs(2), PseudoTargetSpec.newBuilder())
                .toBuilder().setTask("shakespeare")
                .setTaskSpec(TaskSpec.newBuilder().setTrainUri("data/train.jsonl").setMaxTrainExamples(10))
                .setBaseline(TrainingSpec.newBuilder().setEpochs(3)).build();

        JobSettings settings = JobSettings.resolve(spec);

        assertThat(settings.task()).contains(new TaskSettings("shakespeare", "data/train.jsonl", Optional.empty(),
                Optional.empty(), Optional.empty(), 10, 0, 0, 0, ""));
        assertThat(settings.baseline().epochs()).isEqualTo(3);
        assertThat(settings.baseline().batchSize()).isEqualTo(8);
        assertThat(settings.baseline().objective()).isEqualTo(TrainingSettings.Objective.CROSS_ENTROPY);
        assertThat(settings.baseline().finalFinetuneEpochs()).isZero();
        assertThatThrownBy(() -> JobSettings.resolve(spec.toBuilder().setTaskSpec(TaskSpec.newBuilder()
                .setDevUri("data/dev.jsonl")).build()))
                .isInstanceOf(BadInputException.class)
                .hasMessage("JobSpec.task_spec.train_uri: missing (the JSON Lines file of the training pairs)");
        assertThatThrownBy(() -> JobSettings.resolve(spec.toBuilder().setBaseline(TrainingSpec.newBuilder()
                .setObjective(TrainingSpec.Objective.SEQUENCE_KD)).build()))
                .isInstanceOf(BadInputException.class)
                .hasMessage("JobSpec.baseline.objective: SEQUENCE_KD is not allowed (must be CROSS_ENTROPY: this phase"
                        + " trains on gold only)");
    }

    private static void assertTeacherRejected(TeacherSpec.Builder teacher, String message) {
        assertThatThrownBy(() -> JobSettings.resolve(spec(TrainingSpec.newBuilder(), PseudoTargetSpec.newBuilder())
                .toBuilder().setTeacher(teacher).build()))
                .isInstanceOf(BadInputException.class).hasMessage(message);
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
