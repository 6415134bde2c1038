package io.kdflow.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.job.TrainingSettings;
import io.kdflow.core.model.LayerPruning;
import io.kdflow.core.model.ModelDirectoryWriter;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.tokenizer.HfTokenizer;
import io.kdflow.core.train.ObjectiveSpec.Kind;
import io.kdflow.core.train.ObjectiveSpec.TeacherSource;
import io.kdflow.core.train.objective.StudentSampleScorer;
import io.kdflow.core.train.objective.ScoredRecords;
import io.kdflow.core.train.objective.TeacherForcedSampleScorer;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Joint-Teaching trained with the teacher REMOTE (records on the PT steps, a scorer's sparse distributions on the
 * student steps, no teacher in the loop) follows the run with the teacher in the process optimizer step by
 * optimizer step when nothing is cut or rounded (k = vocabulary, FP32). bart-tiny is the teacher, its
 * decoder-pruned copy the student; libtorch on one thread.
 */
class RemoteJointTeachingTrainingTest {

    private static final List<TrainingExample> PAIRS = List.of(
            TrainingExample.of("a", "Good morrow to you, my lord.", "Hello, sir."),
            TrainingExample.of("b", "What news on the Rialto?", "What is new in town?"),
            TrainingExample.of("c", "Wherefore art thou Romeo?", "Why are you Romeo?"),
            TrainingExample.of("d", "All that glisters is not gold.", "Shiny things can be cheap."));
    private static final int STEPS = 6;

    @TempDir
    static Path temp;

    private static NDManager manager;
    private static Seq2SeqModel teacher;
    private static Path studentDir;
    private static TeacherForcedSampleScorer exact;
    private static List<TrainingExample> records;
    private static int threadsBefore;

    @BeforeAll
    static void load() throws Exception {
        Path teacherDir = HfTiny.copyModel(HfTiny.BART, temp);
        manager = NDManager.newBaseManager();
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        teacher = PretrainedModels.loadSeq2Seq(teacherDir, manager);
        studentDir = temp.resolve("student");
        try (PretrainedModel student = LayerPruning.pruneDecoderDefault(teacher, manager)) {
            ModelDirectoryWriter.save(student, studentDir, teacherDir);
        }
        exact = new TeacherForcedSampleScorer(teacher, GenerationConfig.fromModelConfig(teacher.config()),
                teacher.config().vocabSize(), Quantization.FP32);
        try (HfTokenizer tokenizer = HfTokenizer.load(teacherDir.resolve("tokenizer.json"))) {
            records = withTeacherRecords(new ExampleEncoder(new TextEncoding(tokenizer, teacher.config()), 32, 32, 1)
                    .apply(PAIRS));
        }
    }

    @AfterAll
    static void close() {
        teacher.close();
        manager.close();
        JniUtils.setNumThreads(threadsBefore);
    }

    @Test
    void shouldFollowTheInProcessRunStepByStep() {
        ObjectiveSpec local = ObjectiveSpec.of(Kind.LOGIT_KD, TeacherSource.IN_PROCESS, 1)
                .withJointTeaching(0.5, 32, 12, 42);
        ObjectiveSpec remote = ObjectiveSpec.of(Kind.LOGIT_KD, TeacherSource.REMOTE, 1)
                .withJointTeaching(0.5, 32, 12, 42);
        List<Long> scoredSteps = new ArrayList<>();
        StudentSampleScorer scorer = samples -> {
            scoredSteps.add(samples.step());
            return exact.score(samples);
        };

        List<Double> inProcess = losses(local, Optional.of(teacher), Optional.empty());
        List<Double> scored = losses(remote, Optional.empty(), Optional.of(scorer));

        assertThat(scored).hasSize(STEPS);
        for (int step = 0; step < STEPS; step++) {
            assertThat(scored.get(step)).as("step %d", step).isCloseTo(inProcess.get(step), within(1e-5));
        }
        assertThat(scoredSteps).as("the student steps only").containsExactly(1L, 3L, 5L);
    }

    private static List<Double> losses(ObjectiveSpec spec, Optional<Seq2SeqModel> inProcess,
            Optional<StudentSampleScorer> scorer) {
        List<Double> losses = new ArrayList<>();
        try (StudentTraining run = StudentTraining.open(studentDir, settings(), spec, inProcess, scorer,
                new EpochBatches(epoch -> records, 2, 10, 42), 100, io.kdflow.core.decoding.PromptTemplate.NONE)) {
            run.loop().addListener(report -> losses.add(report.result().loss()));
            run.loop().run(STEPS);
        }
        return losses;
    }

    /** The pairs as GOLD-like records with their ids and the teacher's exact distribution on the labels. */
    private static List<TrainingExample> withTeacherRecords(TrainingBatch batch) {
        return ScoredRecords.withTeacherRecords(batch, exact);
    }

    /** Batch 2, no accumulation, lr 1e-3 with 2 warmup steps, seed 42, tau 1. */
    private static TrainingSettings settings() {
        TrainingSettings d = TrainingSettings.DEFAULTS;
        return new TrainingSettings(TrainingSettings.Objective.LOGITS_KD, 1.0, 3, 2, 1, 1e-3, 0.01, 2, 42,
                d.jointTeaching(), 0, 0, 0, 32, 32, 0, 1000, 1.0);
    }
}
