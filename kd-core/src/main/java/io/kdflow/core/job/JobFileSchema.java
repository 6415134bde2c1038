package io.kdflow.core.job;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.eval.MetricNames;
import io.kdflow.core.pt.PtDecoding;
import io.kdflow.core.wire.proto.DecodingSettings;
import io.kdflow.core.wire.proto.DenoisingSpec;
import io.kdflow.core.wire.proto.EvaluationSpec;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelShapeSpec;
import io.kdflow.core.wire.proto.ObjectiveSpec;
import io.kdflow.core.wire.proto.PseudoTargetSpec;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.StudentSpec;
import io.kdflow.core.wire.proto.TaskSpec;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TeacherSpec;
import io.kdflow.core.wire.proto.TokenizerSpec;
import io.kdflow.core.wire.proto.TrainingSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The job file schema (docs/jobs.md): each YAML section mapped onto its JobSpec fields. Only keys the file sets
 * are set in the spec, so an absent key takes its documented default when the spec is resolved.
 */
final class JobFileSchema {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    static final int MAX_TOKENS = JobLimits.DEFAULT.maxTokens();
    static final int MAX_BATCH = JobLimits.DEFAULT.maxBatchSize();
    static final long MAX_STEPS = JobLimits.DEFAULT.maxTotalSteps();
    static final int MAX_EPOCHS = 10_000;

    private final YamlSection root;
    private final Path folder;
    private final String defaultName;

    JobFileSchema(YamlSection root, Path folder, String defaultName) {
        this.root = root;
        this.folder = folder;
        this.defaultName = defaultName;
    }

    JobSpec spec() {
        JobSpec.Builder job = JobSpec.newBuilder();
        String name = root.string("name", NAME, "letters, digits, '.', '_' and '-', at most 100, first a letter or"
                + " digit").orElse(defaultName);
        job.setHeader(RecordHeader.newBuilder().setSchemaVersion(1).setJobId(name));
        TrainingSpec.Builder training = TrainingSpec.newBuilder();
        root.integer("seed", 0L, Long.MAX_VALUE).ifPresent(training::setSeed);
        root.integer("threads", 0, 1024).ifPresent(job::setThreads);
        root.location("output", folder).ifPresent(job::setOutputDir);
        task(root.section("task").orElseThrow(() -> new BadInputException(root.file()
                + ": task: missing (a mapping with at least train: <JSON Lines of the training pairs>)")), job,
                training);
        root.section("teacher").ifPresent(s -> job.setTeacher(teacher(s)));
        root.section("student").ifPresent(s -> job.setStudent(student(s)));
        root.section("objective").ifPresent(s -> objective(s, training));
        int maxTargetTokens = training.hasMaxTargetTokens() ? training.getMaxTargetTokens() : 0;
        root.section("pseudo_targets").ifPresent(s -> job.setPseudoTargets(pseudoTargets(s, maxTargetTokens)));
        root.section("joint_teaching").ifPresent(s -> jointTeaching(s, training));
        root.section("optimization").ifPresent(s -> optimization(s, training, true));
        root.section("baseline").ifPresent(s -> {
            TrainingSpec.Builder baseline = TrainingSpec.newBuilder();
            optimization(s, baseline, false);
            job.setBaseline(baseline);
        });
        root.section("evaluation").ifPresent(s -> job.setEvaluation(evaluation(s)));
        root.finish();
        return job.setTraining(training).build();
    }

    private void task(YamlSection s, JobSpec.Builder job, TrainingSpec.Builder training) {
        TaskSpec.Builder task = TaskSpec.newBuilder();
        s.string("name", NAME, "letters, digits, '.', '_' and '-'").ifPresent(job::setTask);
        task.setTrainUri(s.file("train", folder).orElseThrow(() -> new BadInputException(
                s.file() + ": " + s.key("train") + ": missing (the JSON Lines file of the training pairs; the"
                        + " only key without a default)")));
        s.file("dev", folder).ifPresent(task::setDevUri);
        s.file("test", folder).ifPresent(task::setTestUri);
        s.file("unlabeled", folder).ifPresent(task::setUnlabeledUri);
        s.integer("train_size", 0, Integer.MAX_VALUE).ifPresent(task::setMaxTrainExamples);
        s.integer("dev_size", 0, Integer.MAX_VALUE).ifPresent(task::setMaxDevExamples);
        s.integer("test_size", 0, Integer.MAX_VALUE).ifPresent(task::setMaxTestExamples);
        s.integer("unlabeled_size", 0, Integer.MAX_VALUE).ifPresent(task::setMaxUnlabeledExamples);
        s.string("prompt").ifPresent(prompt -> {
            if (!prompt.contains(TaskSettings.SOURCE_PLACEHOLDER)) {
                throw s.rejected("prompt", "has no " + TaskSettings.SOURCE_PLACEHOLDER,
                        "a template that places the input, e.g. 'Modern English: {source}\\nShakespeare:'");
            }
            task.setPrompt(prompt);
        });
        s.integer("max_source_tokens", 2, MAX_TOKENS).ifPresent(training::setMaxSourceTokens);
        s.integer("max_target_tokens", 1, MAX_TOKENS).ifPresent(training::setMaxTargetTokens);
        s.finish();
        job.setTaskSpec(task);
    }

    private TeacherSpec teacher(YamlSection s) {
        TeacherSpec.Builder teacher = TeacherSpec.newBuilder();
        s.choice("source", ordered("pretrained", TeacherSpec.Source.PRETRAINED, "fine_tune",
                TeacherSpec.Source.FINE_TUNE, "train", TeacherSpec.Source.TRAIN)).ifPresent(teacher::setSource);
        s.location("dir", folder).ifPresent(teacher::setDir);
        s.section("tokenizer").ifPresent(t -> {
            TokenizerSpec.Builder tokenizer = TokenizerSpec.newBuilder();
            t.integer("vocab_size", 16, 1 << 20).ifPresent(tokenizer::setVocabSize);
            t.integer("min_frequency", 1, 1_000_000).ifPresent(tokenizer::setMinFrequency);
            t.finish();
            teacher.setTokenizer(tokenizer);
        });
        s.file("config_file", folder).ifPresent(teacher::setConfigUri);
        s.section("shape").ifPresent(m -> {
            ModelShapeSpec.Builder shape = ModelShapeSpec.newBuilder();
            m.integer("d_model", 8, 1 << 16).ifPresent(shape::setDModel);
            m.integer("encoder_layers", 1, 256).ifPresent(shape::setEncoderLayers);
            m.integer("decoder_layers", 1, 256).ifPresent(shape::setDecoderLayers);
            m.integer("attention_heads", 1, 1024).ifPresent(shape::setAttentionHeads);
            m.integer("ffn_dim", 1, 1 << 18).ifPresent(shape::setFfnDim);
            m.real("dropout", 0, false, 0.9, false).ifPresent(d -> shape.setDropout(d.floatValue()));
            m.integer("max_position_embeddings", 2, 1 << 16).ifPresent(shape::setMaxPositionEmbeddings);
            m.finish();
            teacher.setShape(shape);
        });
        s.section("pretraining").ifPresent(p -> {
            DenoisingSpec.Builder denoising = DenoisingSpec.newBuilder();
            p.integer("epochs", 0, MAX_EPOCHS).ifPresent(denoising::setEpochs);
            p.real("mask_ratio", 0, false, 1, true).ifPresent(r -> denoising.setMaskRatio(r.floatValue()));
            p.real("poisson_lambda", 0, true, 100, false).ifPresent(l -> denoising.setPoissonLambda(l.floatValue()));
            p.bool("permute_sentences").ifPresent(denoising::setPermuteSentences);
            p.bool("whole_word_spans").ifPresent(denoising::setWholeWordSpans);
            TrainingSpec.Builder optimization = TrainingSpec.newBuilder();
            optimizationKeys(p, optimization, false);
            p.finish();
            teacher.setPretraining(denoising.setOptimization(optimization));
        });
        s.section("fine_tuning").ifPresent(f -> {
            TrainingSpec.Builder fineTuning = TrainingSpec.newBuilder();
            optimization(f, fineTuning, false);
            teacher.setFineTuning(fineTuning);
        });
        s.finish();
        return teacher.build();
    }

    private StudentSpec student(YamlSection s) {
        StudentSpec.Builder student = StudentSpec.newBuilder();
        s.choice("source", ordered("pruned_teacher", StudentSpec.Source.PRUNED_TEACHER, "config",
                StudentSpec.Source.CONFIG, "dir", StudentSpec.Source.DIR)).ifPresent(student::setSource);
        s.integers("encoder_layers", -256, 255).ifPresent(student::addAllKeepEncoderLayers);
        s.integers("decoder_layers", -256, 255).ifPresent(student::addAllKeepDecoderLayers);
        s.file("config_file", folder).ifPresent(student::setConfigUri);
        s.location("dir", folder).ifPresent(student::setInitUri);
        s.finish();
        return student.build();
    }

    private static void objective(YamlSection s, TrainingSpec.Builder training) {
        ObjectiveSpec.Builder objective = ObjectiveSpec.newBuilder();
        Map<String, TrainingSpec.Objective> kinds = new LinkedHashMap<>();
        kinds.put("cross_entropy", TrainingSpec.Objective.CROSS_ENTROPY);
        kinds.put("logit_kd", TrainingSpec.Objective.LOGITS_KD);
        kinds.put("noisy_kd", TrainingSpec.Objective.NOISY_KD);
        kinds.put("sequence_kd", TrainingSpec.Objective.SEQUENCE_KD);
        kinds.put("reverse_kd", TrainingSpec.Objective.REVERSE_KD);
        kinds.put("gjsd", TrainingSpec.Objective.GENERALIZED_JSD);
        kinds.put("attention_relation", TrainingSpec.Objective.ATTENTION_RELATION_KD);
        s.choice("type", kinds).ifPresent(training::setObjective);
        s.real("temperature", 0, true, 100, false).ifPresent(t -> training.setKdTemperature(t.floatValue()));
        s.real("beta", 0, false, 1, false).ifPresent(b -> objective.setGjsdBeta(b.floatValue()));
        s.real("teacher_dropout", 0, false, 0.9, false).ifPresent(d -> objective.setTeacherDropout(d.floatValue()));
        s.integer("relation_heads", 0, 1024).ifPresent(objective::setRelationHeads);
        s.real("relation_weight", 0, false, 1, false).ifPresent(w -> objective.setRelationWeight(w.floatValue()));
        s.integer("scale_batches", 0, 100_000).ifPresent(objective::setScaleBatches);
        Map<String, ObjectiveSpec.TeacherLogits> logits = new LinkedHashMap<>();
        logits.put("dense", ObjectiveSpec.TeacherLogits.DENSE);
        logits.put("records", ObjectiveSpec.TeacherLogits.RECORDS);
        s.choice("teacher_logits", logits).ifPresent(objective::setTeacherLogits);
        s.finish();
        training.setObjectiveSettings(objective);
    }

    private static PseudoTargetSpec pseudoTargets(YamlSection s, int maxTargetTokens) {
        PseudoTargetSpec.Builder pts = PseudoTargetSpec.newBuilder();
        int k = s.integer("k", 0, JobLimits.DEFAULT.maxPseudoTargets()).orElse(0);
        if (s.has("k")) {
            pts.setNumPseudoTargets(k);
        }
        PtDecoding mode = s.choice("mode", ordered("beam", PtDecoding.BEAM_SEARCH, "sampling", PtDecoding.SAMPLING,
                "high_temperature", PtDecoding.HIGH_TEMPERATURE_SAMPLING)).orElse(PtDecoding.BEAM_SEARCH);
        pts.setMode(switch (mode) {
            case BEAM_SEARCH -> PseudoTargetSpec.Mode.BEAM_SEARCH;
            case SAMPLING -> PseudoTargetSpec.Mode.SAMPLING;
            case HIGH_TEMPERATURE_SAMPLING -> PseudoTargetSpec.Mode.HIGH_TEMPERATURE_SAMPLING;
        });
        // Decoding is written whole (zero means "default" in DecodingSettings, and a zero top_k means "off").
        DecodingSettings.Builder decoding = JobSettings.modeDefaults(mode, k, SamplingSettings.DEFAULTS.decoding())
                .toBuilder();
        if (maxTargetTokens > 0) {
            decoding.setMaxNewTokens(maxTargetTokens);
        }
        String sampling = "only the sampling modes use it; mode is " + modeName(mode);
        String beam = "only mode beam uses it; mode is " + modeName(mode);
        s.integer("num_beams", 1, 64).ifPresent(b -> {
            if (mode.sampling()) {
                throw s.rejected("num_beams", "is not allowed", beam);
            }
            if (b < k) {
                throw s.rejected("num_beams", "is fewer than k = " + k, "at least k: the PTs are the k best beams");
            }
            decoding.setNumBeams(b);
        });
        s.integer("top_k", 0, 1 << 20).ifPresent(t -> {
            if (!mode.sampling()) {
                throw s.rejected("top_k", "is not allowed", sampling);
            }
            decoding.setTopK(t);
        });
        s.real("top_p", 0, true, 1, false).ifPresent(p -> {
            if (!mode.sampling()) {
                throw s.rejected("top_p", "is not allowed", sampling);
            }
            decoding.setTopP(p.floatValue());
        });
        s.real("temperature", 0, true, 100, false).ifPresent(t -> {
            if (!mode.sampling()) {
                throw s.rejected("temperature", "is not allowed", sampling);
            }
            decoding.setTemperature(t.floatValue());
        });
        pts.setDecoding(decoding);
        s.bool("labeled").ifPresent(pts::setIncludeLabeled);
        s.bool("unlabeled").ifPresent(pts::setIncludeUnlabeled);
        s.integer("distribution_top_k", 1, 1 << 20).ifPresent(pts::setDistributionTopK);
        s.choice("quantization", ordered("fp32", TeacherDistribution.Quantization.FP32, "fp16",
                TeacherDistribution.Quantization.FP16, "int8", TeacherDistribution.Quantization.INT8))
                .ifPresent(pts::setQuantization);
        s.integer("batch_size", 1, MAX_BATCH).ifPresent(pts::setBatchSize);
        s.finish();
        return pts.build();
    }

    private static void jointTeaching(YamlSection s, TrainingSpec.Builder training) {
        s.choice("mode", ordered("off", TrainingSpec.JointTeaching.JOINT_TEACHING_OFF, "local",
                TrainingSpec.JointTeaching.LOCAL, "remote", TrainingSpec.JointTeaching.REMOTE))
                .ifPresent(training::setJointTeaching);
        s.real("student_pt_fraction", 0, false, 1, false).ifPresent(f -> training.setStudentPtFraction(f.floatValue()));
        s.integer("max_staleness_steps", 0, 1000).ifPresent(training::setMaxStalenessSteps);
        s.finish();
    }

    /**
     * A whole optimization section; {@code distillation} admits final_finetune_epochs. (group_by_length is not an
     * optimization key: teacher pre-training takes the teacher fine-tuning's.)
     */
    private static void optimization(YamlSection s, TrainingSpec.Builder training, boolean distillation) {
        s.integer("epochs", 1, MAX_EPOCHS).ifPresent(training::setEpochs);
        optimizationKeys(s, training, distillation);
        s.bool("group_by_length").ifPresent(training::setGroupByLength);
        s.finish();
    }

    /** The optimization keys other than epochs. */
    private static void optimizationKeys(YamlSection s, TrainingSpec.Builder training, boolean distillation) {
        s.integer("schedule_epochs", 0, 100_000).ifPresent(training::setScheduleEpochs);
        s.integer("batch_size", 1, MAX_BATCH).ifPresent(training::setBatchSize);
        s.integer("gradient_accumulation", 1, 1024).ifPresent(training::setGradientAccumulation);
        s.real("learning_rate", 0, true, 1, false).ifPresent(lr -> training.setLearningRate(lr.floatValue()));
        s.real("weight_decay", 0, false, 1, false).ifPresent(wd -> training.setWeightDecay(wd.floatValue()));
        s.integer("warmup_steps", 0, (int) MAX_STEPS).ifPresent(training::setWarmupSteps);
        s.real("max_grad_norm", 0, false, 1e6, false).ifPresent(n -> training.setMaxGradNorm(n.floatValue()));
        s.integer("early_stopping_patience", 0, MAX_EPOCHS).ifPresent(training::setEarlyStoppingPatience);
        s.integer("checkpoint_every_steps", 1, (int) MAX_STEPS).ifPresent(training::setCheckpointEverySteps);
        s.integer("total_steps", 1L, MAX_STEPS).ifPresent(training::setTotalSteps);
        s.bool("select_on_dev").ifPresent(training::setSelectOnDev);
        if (distillation) {
            s.integer("final_finetune_epochs", 0, MAX_EPOCHS).ifPresent(training::setFinalFinetuneEpochs);
        }
    }

    private static EvaluationSpec evaluation(YamlSection s) {
        EvaluationSpec.Builder evaluation = EvaluationSpec.newBuilder();
        Map<String, String> metrics = new LinkedHashMap<>();
        MetricNames.SELECTABLE.forEach(m -> metrics.put(m, m));
        s.choice("selection_metric", metrics).ifPresent(evaluation::setSelectionMetric);
        s.integer("num_beams", 1, 64).ifPresent(evaluation::setNumBeams);
        s.integer("max_new_tokens", 1, MAX_TOKENS).ifPresent(evaluation::setMaxNewTokens);
        s.integer("batch_size", 1, MAX_BATCH).ifPresent(evaluation::setBatchSize);
        s.integer("evaluations_per_epoch", 1, 100).ifPresent(evaluation::setEvaluationsPerEpoch);
        s.bool("measure_latency").ifPresent(evaluation::setMeasureLatency);
        s.bool("measure_throughput").ifPresent(evaluation::setMeasureThroughput);
        s.finish();
        return evaluation.build();
    }

    private static String modeName(PtDecoding mode) {
        return switch (mode) {
            case BEAM_SEARCH -> "beam";
            case SAMPLING -> "sampling";
            case HIGH_TEMPERATURE_SAMPLING -> "high_temperature";
        };
    }

    private static <E> Map<String, E> ordered(String n1, E v1, String n2, E v2, String n3, E v3) {
        Map<String, E> map = new LinkedHashMap<>();
        map.put(n1, v1);
        map.put(n2, v2);
        map.put(n3, v3);
        return map;
    }
}
