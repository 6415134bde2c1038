package io.kdflow.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.pt.PtDecoding;
import io.kdflow.core.train.EpochBatches;
import io.kdflow.core.wire.proto.DecodingSettings;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.TeacherDistribution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job files: a full file round trip into settings, each class of error with its exact message, and the hash. */
class JobFileTest {

    @TempDir
    Path dir;

    @BeforeEach
    void writeData() throws IOException {
        Files.createDirectories(dir.resolve("data"));
        for (String split : new String[] {"train", "dev", "test", "unlabeled"}) {
            Files.writeString(dir.resolve("data/" + split + ".jsonl"), "{\"id\": \"1\", \"source\": \"a\"}\n");
        }
        Files.writeString(dir.resolve("data/config.json"), "{}");
    }

    @Test
    void shouldReadEveryKeyIntoTheSpecAndResolveItIntoSettings() throws IOException {
        JobSpec spec = JobFile.read(write("full.yaml", """
                name: full-1
                seed: 7
                threads: 2
                output: out
                task:
                  name: shakespeare
                  train: data/train.jsonl
                  dev: data/dev.jsonl
                  test: data/test.jsonl
                  unlabeled: data/unlabeled.jsonl
                  train_size: 100
                  dev_size: 10
                  test_size: 20
                  unlabeled_size: 400
                  prompt: "modern: {source}"
                  max_source_tokens: 48
                  max_target_tokens: 40
                teacher:
                  source: train
                  tokenizer: {vocab_size: 4000, min_frequency: 3}
                  config_file: data/config.json
                  shape: {d_model: 128, encoder_layers: 2, decoder_layers: 2, attention_heads: 4, ffn_dim: 512,
                          dropout: 0.1, max_position_embeddings: 64}
                  pretraining:
                    epochs: 2
                    mask_ratio: 0.25
                    poisson_lambda: 2.5
                    permute_sentences: false
                    whole_word_spans: false
                    batch_size: 8
                    learning_rate: 1e-3
                  fine_tuning:
                    epochs: 3
                    batch_size: 16
                    warmup_steps: 10
                    select_on_dev: false
                    group_by_length: true
                student:
                  source: pruned_teacher
                  encoder_layers: [0, 1]
                  decoder_layers: [0, -1]
                objective:
                  type: gjsd
                  temperature: 2.0
                  beta: 0.25
                  teacher_dropout: 0.2
                  relation_heads: 8
                  relation_weight: 0.4
                  scale_batches: 50
                pseudo_targets:
                  k: 3
                  mode: high_temperature
                  top_k: 20
                  top_p: 0.9
                  labeled: false
                  unlabeled: true
                  distribution_top_k: 32
                  quantization: int8
                  batch_size: 12
                joint_teaching:
                  mode: local
                  student_pt_fraction: 0.25
                  max_staleness_steps: 3
                optimization:
                  epochs: 4
                  schedule_epochs: 8
                  batch_size: 24
                  gradient_accumulation: 2
                  learning_rate: 5e-4
                  weight_decay: 1e-5
                  warmup_steps: 5
                  max_grad_norm: 0.5
                  early_stopping_patience: 3
                  checkpoint_every_steps: 40
                  final_finetune_epochs: 1
                  group_by_length: true
                baseline:
                  epochs: 5
                evaluation:
                  selection_metric: chrf
                  num_beams: 2
                  max_new_tokens: 40
                  batch_size: 8
                  evaluations_per_epoch: 1
                  measure_latency: false
                """));
        JobSettings settings = JobSettings.resolve(spec);

        assertThat(settings.jobId()).isEqualTo("full-1");
        assertThat(settings.threads()).isEqualTo(2);
        assertThat(settings.outputDir()).isEqualTo(dir.resolve("out").toString());
        TaskSettings task = settings.task().orElseThrow();
        assertThat(task.name()).isEqualTo("shakespeare");
        assertThat(task.train()).as("relative to the job file's folder").isEqualTo(data("train"));
        assertThat(task.unlabeled()).contains(data("unlabeled"));
        assertThat(task.maxTrainExamples()).isEqualTo(100);
        assertThat(task.maxUnlabeledExamples()).isEqualTo(400);
        assertThat(task.prompt("thou art")).isEqualTo("modern: thou art");
        TrainingSettings t = settings.training();
        assertThat(t.seed()).isEqualTo(7);
        assertThat(t.maxSourceTokens()).isEqualTo(48);
        assertThat(t.maxTargetTokens()).isEqualTo(40);
        assertThat(t.epochs()).isEqualTo(4);
        assertThat(t.scheduleEpochs()).isEqualTo(8);
        assertThat(t.scheduleSteps(480)).as("480 / 48 = 10 steps an epoch, 8 epochs").isEqualTo(80);
        assertThat(t.examplesPerStep()).isEqualTo(48);
        assertThat(t.learningRate()).isEqualTo(5e-4f);
        assertThat(t.weightDecay()).isEqualTo(1e-5f);
        assertThat(t.maxGradNorm()).isEqualTo(0.5);
        assertThat(t.earlyStoppingPatience()).isEqualTo(3);
        assertThat(t.finalFinetuneEpochs()).isEqualTo(1);
        assertThat(t.selectOnDev()).isTrue();
        assertThat(t.batchOrder()).isEqualTo(EpochBatches.Order.LENGTH_GROUPED);
        assertThat(TrainingSettings.DEFAULTS.batchOrder()).isEqualTo(EpochBatches.Order.SHUFFLED);

        TeacherSettings teacher = settings.teacher().orElseThrow();
        assertThat(teacher.source()).isEqualTo(TeacherSettings.Source.TRAIN);
        assertThat(teacher.tokenizer()).isEqualTo(new TeacherSettings.TokenizerSettings(4000, 3));
        assertThat(teacher.configFile()).contains(dir.resolve("data/config.json").toString());
        assertThat(teacher.shape()).isEqualTo(new TeacherSettings.ModelShape(Optional.of(128), Optional.of(2),
                Optional.of(2), Optional.of(4), Optional.of(512), Optional.of((double) 0.1f), Optional.of(64)));
        assertThat(teacher.pretrainingEpochs()).isEqualTo(2);
        assertThat(teacher.denoising().maskRatio()).isEqualTo(0.25);
        assertThat(teacher.denoising().poissonLambda()).isEqualTo(2.5);
        assertThat(teacher.denoising().permuteSentences()).isFalse();
        assertThat(teacher.denoising().maxSourceTokens()).isEqualTo(48);
        assertThat(teacher.pretraining().batchSize()).isEqualTo(8);
        assertThat(teacher.pretraining().learningRate()).isEqualTo(1e-3f);
        assertThat(teacher.pretraining().seed()).as("the job's seed").isEqualTo(7);
        assertThat(teacher.fineTuning().epochs()).isEqualTo(3);
        assertThat(teacher.fineTuning().warmupSteps()).isEqualTo(10);
        assertThat(teacher.fineTuning().selectOnDev()).isFalse();
        assertThat(teacher.fineTuning().groupByLength()).isTrue();
        assertThat(teacher.pretraining().groupByLength()).as("pre-training follows fine-tuning's in the recipe").isFalse();
        assertThat(teacher.fineTuning().objective()).isEqualTo(TrainingSettings.Objective.CROSS_ENTROPY);

        assertThat(settings.student()).isEqualTo(new StudentSettings("", java.util.List.of(0, 1),
                java.util.List.of(0, -1), StudentSettings.Source.PRUNED_TEACHER, ""));
        assertThat(settings.objective()).isEqualTo(new ObjectiveSettings(ObjectiveSettings.Kind.GENERALIZED_JSD,
                2.0, 0.25, (double) 0.2f, 8, (double) 0.4f, 50));
        assertThat(settings.jointTeaching()).isEqualTo(new JointTeachingSettings(TrainingSettings.JointTeaching.LOCAL,
                0.25, 3));

        SamplingSettings pts = settings.sampling();
        assertThat(pts.numPseudoTargets()).isEqualTo(3);
        assertThat(pts.mode()).isEqualTo(PtDecoding.HIGH_TEMPERATURE_SAMPLING);
        assertThat(pts.decoding().getStrategy()).isEqualTo(DecodingSettings.Strategy.SAMPLING);
        assertThat(pts.decoding().getTemperature()).as("the mode's").isEqualTo(1.5f);
        assertThat(pts.decoding().getTopK()).isEqualTo(20);
        assertThat(pts.decoding().getTopP()).isEqualTo(0.9f);
        assertThat(pts.decoding().getMaxNewTokens()).as("max_target_tokens").isEqualTo(40);
        assertThat(pts.includeLabeled()).isFalse();
        assertThat(pts.includeUnlabeled()).isTrue();
        assertThat(pts.distributionTopK()).isEqualTo(32);
        assertThat(pts.quantization()).isEqualTo(TeacherDistribution.Quantization.INT8);
        assertThat(pts.batchSize()).isEqualTo(12);

        assertThat(settings.baseline().epochs()).isEqualTo(5);
        assertThat(settings.baseline().batchSize()).as("unset: the distillation phase's").isEqualTo(24);
        assertThat(settings.baseline().groupByLength()).as("unset: the distillation phase's").isTrue();
        assertThat(settings.baseline().objective()).isEqualTo(TrainingSettings.Objective.CROSS_ENTROPY);
        assertThat(settings.baseline().finalFinetuneEpochs()).isZero();
        assertThat(settings.selection().evaluationsPerEpoch()).isEqualTo(1);
        assertThat(spec.getEvaluation().getSelectionMetric()).isEqualTo("chrf");
        assertThat(spec.getEvaluation().getNumBeams()).isEqualTo(2);
        assertThat(spec.getEvaluation().getBatchSize()).isEqualTo(8);
        assertThat(spec.getEvaluation().hasMeasureLatency()).isTrue();
        assertThat(spec.getEvaluation().hasMeasureThroughput()).isFalse();
    }

    @Test
    void shouldGiveEveryOtherKeyItsDefault() throws IOException {
        JobSettings settings = JobSettings.resolve(JobFile.read(write("minimal.yml", """
                task:
                  train: data/train.jsonl
                """)));

        assertThat(settings.jobId()).as("the file name").isEqualTo("minimal");
        assertThat(settings.training()).isEqualTo(TrainingSettings.DEFAULTS);
        assertThat(settings.sampling()).isEqualTo(SamplingSettings.DEFAULTS);
        assertThat(settings.objective()).isEqualTo(ObjectiveSettings.DEFAULTS);
        assertThat(settings.jointTeaching()).isEqualTo(JointTeachingSettings.DEFAULTS);
        assertThat(settings.selection()).isEqualTo(SelectionSettings.DEFAULTS);
        assertThat(settings.teacher()).isEmpty();
        assertThat(settings.student().source()).isEqualTo(StudentSettings.Source.PRUNED_TEACHER);
        assertThat(settings.outputDir()).isEqualTo(JobSettings.DEFAULT_OUTPUT_DIR);
        assertThat(settings.threads()).isZero();
        assertThat(settings.task().orElseThrow().dev()).isEmpty();
    }

    @Test
    void shouldDefaultTheDecodingOfEachPtMode() throws IOException {
        SamplingSettings beam = JobSettings.resolve(JobFile.read(write("beam.yaml", """
                task: {train: data/train.jsonl}
                pseudo_targets: {k: 6, mode: beam}
                """))).sampling();
        SamplingSettings sampling = JobSettings.resolve(JobFile.read(write("sampling.yaml", """
                task: {train: data/train.jsonl}
                pseudo_targets: {k: 2, mode: sampling}
                """))).sampling();

        assertThat(beam.decoding().getStrategy()).isEqualTo(DecodingSettings.Strategy.BEAM_SEARCH);
        assertThat(beam.decoding().getNumBeams()).as("max(4, K)").isEqualTo(6);
        assertThat(sampling.mode()).isEqualTo(PtDecoding.SAMPLING);
        assertThat(sampling.decoding().getTopK()).isEqualTo(PtDecoding.TOP_K);
        assertThat(sampling.decoding().getTopP()).isEqualTo((float) PtDecoding.TOP_P);
        assertThat(sampling.decoding().getTemperature()).isEqualTo(1f);
        assertThat(sampling.decoding().getNumBeams()).isEqualTo(1);
    }

    @Test
    void shouldRejectAnUnknownKeyAtDepthListingTheAllowedKeys() throws IOException {
        assertRejected("""
                task: {train: data/train.jsonl}
                teacher:
                  pretraining:
                    mask_ratoi: 0.3
                """, ": teacher.pretraining.mask_ratoi: unknown key (allowed in teacher.pretraining: epochs,"
                + " mask_ratio, poisson_lambda, permute_sentences, whole_word_spans, schedule_epochs, batch_size,"
                + " gradient_accumulation, learning_rate, weight_decay, warmup_steps, max_grad_norm,"
                + " early_stopping_patience, checkpoint_every_steps, total_steps, select_on_dev)");
        assertRejected("""
                task: {train: data/train.jsonl}
                optimisation: {epochs: 2}
                """, ": optimisation: unknown key (allowed at the top level: name, seed, threads, output, task,"
                + " teacher, student, objective, pseudo_targets, joint_teaching, optimization, baseline, evaluation)");
    }

    @Test
    void shouldRejectAValueOfTheWrongType() throws IOException {
        assertRejected("""
                task: {train: data/train.jsonl}
                optimization: {batch_size: big}
                """, ": optimization.batch_size: 'big' is not an integer (an integer from 1 to 4096)");
        assertRejected("""
                task: {train: data/train.jsonl}
                optimization: {batch_size: 2.5}
                """, ": optimization.batch_size: 2.5 is not an integer (an integer from 1 to 4096)");
        assertRejected("""
                task: {train: data/train.jsonl}
                student: {decoder_layers: 0}
                """, ": student.decoder_layers: 0 is not a list (a list of integers from -256 to 255, e.g. [0, -1])");
        assertRejected("""
                task: {train: data/train.jsonl}
                pseudo_targets: {unlabeled: sometimes}
                """, ": pseudo_targets.unlabeled: 'sometimes' is not a boolean (true or false)");
        assertRejected("""
                task: [data/train.jsonl]
                """, ": task: a list is not a mapping (keys and values, one per line below task:)");
    }

    @Test
    void shouldRejectAValueOutOfRange() throws IOException {
        assertRejected("""
                task: {train: data/train.jsonl}
                optimization: {learning_rate: 0}
                """, ": optimization.learning_rate: 0 is out of range (a number > 0 and <= 1)");
        assertRejected("""
                task: {train: data/train.jsonl}
                pseudo_targets: {k: 65}
                """, ": pseudo_targets.k: 65 is out of range (an integer from 0 to 64)");
        assertRejected("""
                task: {train: data/train.jsonl}
                student: {decoder_layers: [0, 300]}
                """, ": student.decoder_layers[1]: 300 is out of range (an integer from -256 to 255)");
        assertRejected("""
                task: {train: data/train.jsonl}
                teacher: {pretraining: {mask_ratio: 1.0}}
                """, ": teacher.pretraining.mask_ratio: 1.0 is out of range (a number >= 0 and < 1)");
    }

    @Test
    void shouldRejectABadEnumValueListingTheAllowedOnes() throws IOException {
        assertRejected("""
                task: {train: data/train.jsonl}
                objective: {type: logits}
                """, ": objective.type: 'logits' is not allowed (one of cross_entropy, logit_kd, noisy_kd,"
                + " sequence_kd, reverse_kd, gjsd, attention_relation)");
        assertRejected("""
                task: {train: data/train.jsonl}
                pseudo_targets: {mode: greedy}
                """, ": pseudo_targets.mode: 'greedy' is not allowed (one of beam, sampling, high_temperature)");
        assertRejected("""
                task: {train: data/train.jsonl}
                evaluation: {selection_metric: BLEU}
                """, ": evaluation.selection_metric: 'BLEU' is not allowed (one of bleu, chrf, ter, rouge, rouge1_p,"
                + " rouge1_r, rouge1_f, rouge2_p, rouge2_r, rouge2_f, rougeL_p, rougeL_r, rougeL_f, nll)");
    }

    @Test
    void shouldAcceptABareOffForJointTeaching() throws IOException {
        JobSettings settings = JobSettings.resolve(JobFile.read(write("off.yaml", """
                task: {train: data/train.jsonl}
                joint_teaching: {mode: off}
                """)));

        assertThat(settings.jointTeaching().enabled()).isFalse();
    }

    @Test
    void shouldRejectSettingsThatDoNotFitTheMode() throws IOException {
        assertRejected("""
                task: {train: data/train.jsonl}
                pseudo_targets: {mode: beam, top_p: 0.9}
                """, ": pseudo_targets.top_p: 0.9 is not allowed (only the sampling modes use it; mode is beam)");
        assertRejected("""
                task: {train: data/train.jsonl}
                pseudo_targets: {k: 8, num_beams: 4}
                """, ": pseudo_targets.num_beams: 4 is fewer than k = 8 (at least k: the PTs are the k best beams)");
        assertRejected("""
                task: {train: data/train.jsonl}
                teacher: {source: fine_tune}
                """, ": JobSpec.teacher.dir: missing for source FINE_TUNE (a Hugging Face directory for PRETRAINED"
                + " and FINE_TUNE, none for TRAIN)");
        assertRejected("""
                task: {train: data/train.jsonl, prompt: "translate"}
                """, ": task.prompt: 'translate' has no {source} (a template that places the input, e.g."
                + " 'Modern English: {source}\\nShakespeare:')");
    }

    @Test
    void shouldRequireTheTrainDataAndNoOtherKey() throws IOException {
        assertRejected("""
                seed: 1
                """, ": task: missing (a mapping with at least train: <JSON Lines of the training pairs>)");
        assertRejected("""
                task:
                  dev: data/dev.jsonl
                """, ": task.train: missing (the JSON Lines file of the training pairs; the only key without a"
                + " default)");
        Path file = write("gone.yaml", "task: {train: data/missing.jsonl}\n");
        assertThatThrownBy(() -> JobFile.read(file)).isInstanceOf(BadInputException.class)
                .hasMessage(file + ": task.train: 'data/missing.jsonl' names no file (resolved to "
                        + dir.resolve("data/missing.jsonl") + ") (an existing file, relative to the job file's"
                        + " folder)");
        assertRejected("", ": the file is empty (a job needs at least task.train)");
    }

    @Test
    void shouldReportTheLineAndColumnOfAYamlSyntaxError() throws IOException {
        assertRejected("""
                task:
                  train: data/train.jsonl
                optimization:
                  epochs: [1, 2
                """, ": line 5, column 1: not valid YAML: expected ',' or ']', but got <stream end> (while parsing a flow"
                + " sequence started at line 4, column 11)");
        assertRejected("""
                task: {train: data/train.jsonl}
                seed: 1
                seed: 2
                """, ": line 3, column 5: not valid YAML: Duplicate field 'seed'");
        assertRejected("""
                task: {train: data/train.jsonl}
                ---
                seed: 2
                """, ": line 3: a second YAML document (a job file holds one; remove the '---' and what follows)");
    }

    @Test
    void shouldHashTheSameSettingsAlikeWhateverTheOrderAndComments() throws IOException {
        String a = JobFile.hash(JobFile.read(write("a/job.yaml", """
                seed: 3
                task:
                  train: ../data/train.jsonl
                  max_target_tokens: 32
                optimization: {epochs: 2, learning_rate: 5e-4}
                """)));
        String reordered = JobFile.hash(JobFile.read(write("b/job.yaml", """
                # the same job, keys in another order
                optimization:
                  learning_rate: 0.0005   # written differently
                  epochs: 2
                task:
                  max_target_tokens: 32
                  train: ../data/train.jsonl
                seed: 3
                """)));
        String otherSeed = JobFile.hash(JobFile.read(write("c/job.yaml", """
                seed: 4
                task:
                  train: ../data/train.jsonl
                  max_target_tokens: 32
                optimization: {epochs: 2, learning_rate: 5e-4}
                """)));
        String otherEpochs = JobFile.hash(JobFile.read(write("d/job.yaml", """
                seed: 3
                task:
                  train: ../data/train.jsonl
                  max_target_tokens: 32
                optimization: {epochs: 3, learning_rate: 5e-4}
                """)));

        assertThat(a).hasSize(64).matches("[0-9a-f]+");
        assertThat(reordered).isEqualTo(a);
        assertThat(otherSeed).isNotEqualTo(a);
        assertThat(otherEpochs).isNotEqualTo(a).isNotEqualTo(otherSeed);
    }

    @Test
    void shouldKeyTheTeacherOnWhatMakesItOnly() throws IOException {
        String teacher = """
                seed: 3
                task: {train: data/train.jsonl, max_source_tokens: 32}
                teacher: {tokenizer: {vocab_size: 1000}, fine_tuning: {epochs: 2}}
                """;
        JobSpec a = JobFile.read(write("a.yaml", teacher + "student: {decoder_layers: [0]}\n"));
        JobSpec otherStudent = JobFile.read(write("b.yaml", teacher + "objective: {type: logit_kd}\n"
                + "optimization: {epochs: 7}\n"));
        JobSpec otherEpochs = JobFile.read(write("c.yaml", teacher.replace("epochs: 2", "epochs: 3")));
        JobSpec otherSeed = JobFile.read(write("d.yaml", teacher.replace("seed: 3", "seed: 4")));

        assertThat(JobFile.teacherKey(otherStudent)).as("student, objective, optimization and name differ")
                .isEqualTo(JobFile.teacherKey(a));
        assertThat(JobFile.hash(otherStudent)).isNotEqualTo(JobFile.hash(a));
        assertThat(JobFile.teacherKey(otherEpochs)).isNotEqualTo(JobFile.teacherKey(a));
        assertThat(JobFile.teacherKey(otherSeed)).isNotEqualTo(JobFile.teacherKey(a));
    }

    private void assertRejected(String yaml, String messageAfterFile) throws IOException {
        Path file = write("bad.yaml", yaml);
        assertThatThrownBy(() -> JobFile.read(file)).isInstanceOf(BadInputException.class)
                .hasMessage(file + messageAfterFile);
    }

    private String data(String split) {
        return dir.resolve("data/" + split + ".jsonl").toString();
    }

    private Path write(String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }
}
