package io.kdflow.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.TrainingSettings;
import io.kdflow.core.model.CausalLm;
import io.kdflow.core.model.LayerPruning;
import io.kdflow.core.model.ModelDirectoryWriter;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.train.ObjectiveSpec.Kind;
import io.kdflow.core.train.ObjectiveSpec.TeacherSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GPT-2 student trained through {@link StudentTraining}: the gpt2-tiny teacher's first layer, saved as a model
 * directory, fine-tuned with cross-entropy on prompted pairs, distilled with the gpt2-tiny teacher in the process
 * (logit KD with Joint-Teaching), saved and fine-tuned again from the checkpoint; an encoder-decoder teacher is
 * refused.
 */
class DecoderOnlyTrainingTest {

    private static final PromptTemplate PROMPT = new PromptTemplate("{source} =");
    private static final List<TrainingExample> PAIRS = List.of(
            TrainingExample.of("a", "You can apply", " it to your programs"),
            TrainingExample.of("b", "the work must", " carry prominent notices"),
            TrainingExample.of("c", "Distribution of", " modified versions is permitted."));

    @TempDir
    static Path temp;

    private static NDManager manager;
    private static CausalLm teacher;
    private static Path studentDir;
    private static int threadsBefore;

    @BeforeAll
    static void load() throws Exception {
        Path teacherDir = HfTiny.copyModel(HfTiny.GPT2, temp);
        manager = NDManager.newBaseManager();
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        teacher = PretrainedModels.loadCausalLm(teacherDir, manager);
        studentDir = temp.resolve("student");
        try (PretrainedModel student = LayerPruning.prune(teacher, null, List.of(0), manager)) {
            ModelDirectoryWriter.save(student, studentDir, teacherDir);
        }
    }

    @AfterAll
    static void close() {
        teacher.close();
        manager.close();
        JniUtils.setNumThreads(threadsBefore);
    }

    @Test
    void shouldFineTuneAGpt2StudentOnPromptedPairsAndContinueFromItsCheckpoint() {
        TrainingSettings settings = settings();
        List<Double> losses = new ArrayList<>();
        Path checkpoint = temp.resolve("ce-checkpoint");
        try (StudentTraining run = StudentTraining.open(studentDir, settings, ObjectiveSpec.crossEntropy(),
                Optional.empty(), new EpochBatches(epoch -> PAIRS, 3, 20, 42), 40, PROMPT)) {
            run.loop().addListener(r -> losses.add(r.result().loss()));
            assertThat(run.loop().run(12)).isEqualTo(12);
            assertThat(run.model().config().modelType()).isEqualTo("gpt2");
            assertThatThrownBy(run::student).isInstanceOf(BadInputException.class)
                    .hasMessageContaining("holds a decoder-only gpt2 model");
            run.save(checkpoint);
        }
        assertThat(losses.get(11)).as("one batch over and over: the target NLL falls").isLessThan(losses.get(0) - 0.5);
        try (StudentTraining run = FinalFineTune.open(checkpoint, settings, new EpochBatches(epoch -> PAIRS, 3, 20, 42),
                40, PROMPT)) {
            assertThat(run.loop().steps()).isEqualTo(12);
            assertThat(run.loop().run(2)).isEqualTo(2);
        }
    }

    @Test
    void shouldDistillFromAGpt2TeacherInTheProcessWithJointTeaching() {
        ObjectiveSpec spec = ObjectiveSpec.of(Kind.LOGIT_KD, TeacherSource.IN_PROCESS, 1).withJointTeaching(0.5, 16, 12,
                42);
        List<Double> losses = new ArrayList<>();
        try (StudentTraining run = StudentTraining.open(studentDir, settings(), spec, Optional.of(teacher),
                new EpochBatches(epoch -> PAIRS, 3, 20, 42), 40, PROMPT)) {
            run.loop().addListener(r -> losses.add(r.result().loss()));
            assertThat(run.loop().run(4)).isEqualTo(4);
            assertThat(run.loop().objectiveName()).isEqualTo("joint-teaching(fraction=0.5, logit-kd(tau=1.0))");
        }
        assertThat(losses).hasSize(4).allSatisfy(loss -> assertThat(loss).isPositive().isFinite());
    }

    @Test
    void shouldRefuseAnEncoderDecoderTeacherForAGpt2Student() throws Exception {
        try (NDManager models = manager.newSubManager();
                Seq2SeqModel bart = PretrainedModels.loadSeq2Seq(HfTiny.copyModel(HfTiny.BART, temp), models)) {
            assertThatThrownBy(() -> StudentTraining.open(studentDir, settings(),
                    ObjectiveSpec.of(Kind.LOGIT_KD, TeacherSource.IN_PROCESS, 1), Optional.of(bart),
                    new EpochBatches(epoch -> PAIRS, 3, 1, 42), 1, PROMPT))
                    .isInstanceOf(BadInputException.class)
                    .hasMessageStartingWith("teacher and student must share a tokenizer and a kind of architecture:"
                            + " the teacher is encoder-decoder bart with 600 tokens, the student decoder-only gpt2");
        }
    }

    /** Batch 3, no accumulation, lr 3e-3 with 1 warmup step, seed 42, 16 source and 16 target tokens. */
    private static TrainingSettings settings() {
        TrainingSettings d = TrainingSettings.DEFAULTS;
        return new TrainingSettings(TrainingSettings.Objective.CROSS_ENTROPY, 1.0, 3, 3, 1, 3e-3, 0.01, 1, 42,
                d.jointTeaching(), 0, 0, 0, 16, 16, 0, 1000, 1.0);
    }
}
