package io.kdflow.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobFile;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.model.LayerPruning;
import io.kdflow.core.model.ModelDirectoryWriter;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.testing.HfTiny;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attention-relation KD from a job file to training steps: {@code objective: {type: attention_relation, ...}}
 * resolves into the objective with its parameters, trains the decoder-pruned student, and trains a student of its
 * own config (half the width, half the heads of the bart-tiny teacher) towards the teacher's relations.
 */
class AttentionRelationTrainingTest {

    private static final List<TrainingExample> PAIRS = List.of(
            TrainingExample.of("a", "Good morrow to you, my lord.", "Hello, sir."),
            TrainingExample.of("b", "What news on the Rialto?", "What is new in town?"),
            TrainingExample.of("c", "Wherefore art thou Romeo?", "Why are you Romeo?"),
            TrainingExample.of("d", "All that glisters is not gold.", "Shiny things can be cheap."));

    @TempDir
    static Path temp;

    private static NDManager manager;
    private static Seq2SeqModel teacher;
    private static Path teacherDir;
    private static int threadsBefore;

    @BeforeAll
    static void load() throws Exception {
        teacherDir = HfTiny.copyModel(HfTiny.BART, temp);
        manager = NDManager.newBaseManager();
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        teacher = PretrainedModels.loadSeq2Seq(teacherDir, manager);
        Files.createDirectories(temp.resolve("data"));
        Files.writeString(temp.resolve("data/train.jsonl"), "{\"id\": \"1\", \"source\": \"a\", \"target\": \"b\"}\n");
    }

    @AfterAll
    static void close() {
        teacher.close();
        manager.close();
        JniUtils.setNumThreads(threadsBefore);
    }

    @Test
    void shouldResolveTheJobObjectiveAndTrainThePrunedStudent() throws Exception {
        JobSettings settings = job("""
                objective: {type: attention_relation, temperature: 2.0, relation_heads: 2, relation_weight: 0.25,
                            scale_batches: 2}
                """);

        ObjectiveSpec spec = JobObjectives.of(settings, ObjectiveSpec.TeacherSource.IN_PROCESS);

        assertThat(spec.kind()).isEqualTo(ObjectiveSpec.Kind.ATTENTION_RELATION_KD);
        assertThat(spec.temperature()).isEqualTo(2.0);
        assertThat(spec.relationHeads()).isEqualTo(2);
        assertThat(spec.relationWeight()).isEqualTo(0.25);
        assertThat(spec.scaleBatches()).isEqualTo(2);
        Path studentDir = temp.resolve("pruned");
        try (PretrainedModel student = LayerPruning.pruneDecoderDefault(teacher, manager)) {
            ModelDirectoryWriter.save(student, studentDir, teacherDir);
        }
        List<Double> losses = new ArrayList<>();
        try (StudentTraining run = StudentTraining.open(studentDir, settings.training(), spec, Optional.of(teacher),
                new EpochBatches(epoch -> PAIRS, 2, 10, 42), 100)) {
            assertThat(run.loop().objectiveName())
                    .isEqualTo("attention-relation-kd(heads=2, weight=0.25, tau=2.0)");
            run.loop().addListener(r -> losses.add(r.result().loss()));
            assertThat(run.loop().run(3)).isEqualTo(3);
        }
        assertThat(losses).hasSize(3).allSatisfy(loss -> assertThat(loss).isPositive().isFinite());
    }

    @Test
    void shouldPullAStudentOfAnotherWidthAndHeadCountTowardsTheTeachersRelations() throws Exception {
        // relations only; the scales are fixed by the first batch, so the losses of all steps compare
        JobSettings settings = job("""
                objective: {type: attention_relation, relation_weight: 1.0, scale_batches: 1}
                """);
        ObjectiveSpec spec = JobObjectives.of(settings, ObjectiveSpec.TeacherSource.IN_PROCESS);
        Path studentDir = temp.resolve("own-config");
        ObjectNode json = teacher.config().toJson();
        json.put("d_model", 32).put("encoder_attention_heads", 2).put("decoder_attention_heads", 2)
                .put("encoder_layers", 1).put("decoder_layers", 1).put("encoder_ffn_dim", 64).put("decoder_ffn_dim", 64);
        ModelConfig config = ModelConfigs.parse(json, "student config");
        try (PretrainedModel student = PretrainedModels.initialize(config, manager, 3)) {
            ModelDirectoryWriter.save(student, studentDir, teacherDir);
        }
        List<Double> losses = new ArrayList<>();
        try (StudentTraining run = StudentTraining.open(studentDir, settings.training(), spec, Optional.of(teacher),
                new EpochBatches(epoch -> PAIRS.subList(0, 2), 2, 20, 42), 100)) {
            run.loop().addListener(r -> losses.add(r.result().loss()));
            run.loop().run(12);
        }
        assertThat(losses).hasSize(12);
        // teacher 64 wide in 4 heads (relation heads of 16), student 32 wide re-split into 4 relation heads of 8
        assertThat(losses.get(11)).isLessThan(losses.get(1) * 0.6);
    }

    @Test
    void shouldRejectAttentionRelationsWithoutTheTeacherInTheProcessOrWithJointTeaching() throws Exception {
        JobSettings settings = job("objective: {type: attention_relation}\n");
        assertThatThrownBy(() -> JobObjectives.of(settings, ObjectiveSpec.TeacherSource.RECORDS))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("JobSpec.training.objective: ATTENTION_RELATION_KD needs the teacher in the"
                        + " process");
        assertThatThrownBy(() -> JobObjectives.of(job("""
                objective: {type: attention_relation}
                joint_teaching: {mode: local}
                """), ObjectiveSpec.TeacherSource.IN_PROCESS))
                .isInstanceOf(BadInputException.class)
                .hasMessage("JobSpec.training.joint_teaching: LOCAL is not supported with ATTENTION_RELATION_KD"
                        + " (Joint-Teaching runs LOGITS_KD, NOISY_KD, REVERSE_KD or GENERALIZED_JSD)");
        assertThatThrownBy(() -> ObjectiveSpec.of(ObjectiveSpec.Kind.ATTENTION_RELATION_KD,
                ObjectiveSpec.TeacherSource.IN_PROCESS, 1).withRelations(0, 1.5, 100))
                .isInstanceOf(BadInputException.class)
                .hasMessage("objective.relation_weight: 1.5 is not allowed (must be in [0, 1] (the logit KD gets"
                        + " 1 - weight; the paper uses 0.5))");
    }

    /** A job on the data folder with batch 2, learning rate 5e-3, one warmup step and {@code objective}. */
    private static JobSettings job(String objective) {
        String yaml = """
                task: {train: data/train.jsonl, max_source_tokens: 32, max_target_tokens: 32}
                optimization: {batch_size: 2, learning_rate: 5e-3, warmup_steps: 1}
                """ + objective;
        return JobSettings.resolve(JobFile.parse("job.yaml", yaml, temp, "job"));
    }
}
