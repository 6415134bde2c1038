package io.kdflow.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobLimits;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.store.CheckpointManifest;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.tokenizer.HfTokenizer;
import io.kdflow.core.train.PairBatch;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.core.wire.proto.StudentSpec;
import io.kdflow.core.wire.proto.TrainingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's jobs on the bart-tiny fixture: each job trains with its own JobSpec's settings, targets that
 * come before their spec wait and are trained when it arrives, redeliveries are trained once.
 */
class TrainerJobsTest {

    /** Style-transfer pairs: the copy-trained fixture must learn something new to lower its loss. */
    private static final List<String> SOURCES = List.of("Good morrow to you, my lord.", "What news on the Rialto?",
            "Wherefore art thou Romeo?", "All that glisters is not gold.");
    private static final List<String> TARGETS = List.of("Hello, sir.", "What is new in town?", "Why are you Romeo?",
            "Shiny things can be cheap.");

    @TempDir
    Path dir;

    @BeforeAll
    static void oneThread() {
        Engine.getInstance();
        JniUtils.setNumThreads(1);
    }

    @Test
    void shouldStepEveryBatchCheckpointLoadableModelsAndLowerTheLoss() throws Exception {
        ModelStore store = new ModelStore(dir.resolve("store"));
        Path init = HfTiny.copyModel(HfTiny.BART, Files.createDirectories(store.root().resolve("init")));
        Files.delete(init.resolve("reference.safetensors"));
        double before = loss(init);
        List<CheckpointEvent> events = new ArrayList<>();
        try (TrainerJobs jobs = new TrainerJobs(setup(store, false))) {
            // Batch 2, a checkpoint every 3 steps, lr 1e-3 without warmup over 100 steps.
            jobs.acceptSpec(spec("job", 2, 3));
            long offset = 0;
            for (int epoch = 0; epoch < 3; epoch++) {
                for (int i = 0; i < SOURCES.size(); i++) {
                    events.addAll(jobs.acceptTarget(target("job", "ex-" + i + "-" + epoch, SOURCES.get(i),
                            TARGETS.get(i)), "kdflow.pseudo-targets.v1", 0, offset++).orElseThrow());
                }
            }
            Optional<List<CheckpointEvent>> redelivered = jobs.acceptTarget(target("job", "ex-0-0", SOURCES.get(0),
                    TARGETS.get(0)), "kdflow.pseudo-targets.v1", 0, 3);

            assertThat(jobs.steps("job")).contains(6L);
            assertThat(redelivered).contains(List.of());
        }
        assertThat(events).extracting(CheckpointEvent::getStep).containsExactly(3L, 6L);
        CheckpointEvent last = events.get(1);
        Path checkpoint = store.resolve(last.getUri());
        CheckpointManifest manifest = CheckpointManifest.verify(checkpoint, last.getSha256());
        assertThat(manifest.files()).containsKeys("config.json", "model.safetensors", "tokenizer.json",
                "generation_config.json", "optimizer.safetensors", "training_state.json");
        assertThat(manifest.consumedOffsets()).containsEntry("kdflow.pseudo-targets.v1/0", 12L);
        assertThat(manifest.properties()).containsEntry("mode", "cross-entropy").containsEntry("targets", "12");
        assertThat(loss(checkpoint)).as("loss on the training texts after 6 steps").isLessThan(before * 0.7);
    }

    @Test
    void shouldTrainTwoJobsWithTheirOwnSettingsAndHoldTargetsUntilTheirSpecArrives() throws Exception {
        ModelStore store = new ModelStore(dir.resolve("store"));
        HfTiny.copyModel(HfTiny.BART, Files.createDirectories(store.root().resolve("init")));
        try (TrainerJobs jobs = new TrainerJobs(setup(store, false))) {
            List<CheckpointEvent> early = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                assertThat(jobs.acceptTarget(target("late", "l" + i, SOURCES.get(i), TARGETS.get(i)), "t", 0, i))
                        .as("held: no spec yet").isEmpty();
            }
            jobs.acceptSpec(spec("early", 2, 1));
            for (int i = 0; i < 4; i++) {
                early.addAll(jobs.acceptTarget(target("early", "e" + i, SOURCES.get(i), TARGETS.get(i)), "t", 1, i)
                        .orElseThrow());
            }
            TrainerJobs.Started late = jobs.acceptSpec(spec("late", 1, 3));
            TrainerJobs.Started again = jobs.acceptSpec(spec("late", 1, 3));

            assertThat(early).extracting(CheckpointEvent::getStep).containsExactly(1L, 2L);
            assertThat(jobs.steps("early")).contains(2L);
            assertThat(late.outcome()).isEqualTo(TrainerJobs.SpecOutcome.STARTED);
            assertThat(late.checkpoints()).extracting(CheckpointEvent::getStep).containsExactly(3L);
            assertThat(late.checkpoints().get(0).getUri()).isEqualTo("store:late/student/step-00000003");
            assertThat(jobs.steps("late")).contains(3L);
            assertThat(again.outcome()).isEqualTo(TrainerJobs.SpecOutcome.UNCHANGED);
            assertThatThrownBy(() -> jobs.acceptSpec(spec("late", 2, 3))).isInstanceOf(BadInputException.class)
                    .hasMessage("JobSpec of job late differs from the one it is training with; a changed spec needs "
                            + "a new job id");
        }
    }

    @Test
    void shouldRefuseBadSettingsAndStudentsOutsideTheStore() {
        ModelStore store = new ModelStore(dir.resolve("store"));
        try (TrainerJobs jobs = new TrainerJobs(setup(store, false))) {
            assertThatThrownBy(() -> jobs.acceptSpec(spec("bad", 0, 1))).isInstanceOf(BadInputException.class)
                    .hasMessage("JobSpec.training.batch_size: 0 is not allowed (must be 1..4096)");
            JobSpec missing = spec("missing", 1, 1).toBuilder()
                    .setStudent(StudentSpec.newBuilder().setInitUri("store:nowhere")).build();
            assertThatThrownBy(() -> jobs.acceptSpec(missing)).isInstanceOf(BadInputException.class)
                    .hasMessage("JobSpec.student.init_uri: store:nowhere is not a model directory of the store"
                            + " (no config.json)");
            assertThatThrownBy(() -> jobs.acceptTarget(target("bad job!", "x", "y", "z"), "t", 0, 0))
                    .isInstanceOf(BadInputException.class)
                    .hasMessageContaining("job id 'bad job!' must be 1-128 characters of [A-Za-z0-9._-]");
        }
    }

    private static TrainerJobs.Setup setup(ModelStore store, boolean materializeOnly) {
        return new TrainerJobs.Setup(materializeOnly, store, store.root().resolveSibling("data"),
                new CheckpointWriter(store, "test", Clock.systemUTC()), JobLimits.DEFAULT, Optional.empty(), 100);
    }

    static JobSpec spec(String job, int batchSize, int checkpointEvery) {
        return JobSpec.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setTask("style")
                .setStudent(StudentSpec.newBuilder().setInitUri("store:init/bart-tiny"))
                .setTraining(TrainingSpec.newBuilder().setObjective(TrainingSpec.Objective.CROSS_ENTROPY)
                        .setBatchSize(batchSize).setLearningRate(1e-3f).setWarmupSteps(0).setWeightDecay(0f)
                        .setTotalSteps(100).setCheckpointEverySteps(checkpointEvery)
                        .setMaxSourceTokens(32).setMaxTargetTokens(32))
                .build();
    }

    private static double loss(Path modelDir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                Seq2SeqModel model = PretrainedModels.loadSeq2Seq(modelDir, manager);
                HfTokenizer tokenizer = HfTokenizer.load(modelDir.resolve("tokenizer.json"));
                Autograd.Scope noGrad = Autograd.disabled()) {
            PairBatch batch = PairBatch.encode(new TextEncoding(tokenizer, model.config()), SOURCES, TARGETS, 32, 32, 1);
            return model.loss(manager.create(batch.inputIds()), manager.create(batch.attentionMask()),
                    manager.create(batch.labels()), RunMode.INFERENCE).getFloat();
        }
    }

    static PseudoTarget target(String job, String exampleId, String source, String text) {
        return PseudoTarget.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setExampleId(exampleId)
                .setSplit(Split.TRAIN)
                .setKind(PseudoTarget.Kind.PASS_THROUGH)
                .setNumPseudoTargets(1)
                .setSource(source)
                .setText(text)
                .build();
    }
}
