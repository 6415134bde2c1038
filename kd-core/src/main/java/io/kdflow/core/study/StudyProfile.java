package io.kdflow.core.study;

import static io.kdflow.core.study.StageOption.key;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.study.StageOption.Override;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The sizes a study runs at and each stage's options. {@code quick} fits a loaded 2-core machine (100 labeled
 * pairs, 200 unlabeled inputs, 40 dev and 80 test examples, batches of 16, 2 KD epochs, K = 2: the whole
 * Shakespeare study measured 43 minutes on a shared machine, docs/study-shakespeare-quick.md); {@code paper} takes the paper's
 * settings (all data, 96 of 192 scheduled epochs, K = 48, 10 final fine-tune epochs; PAPER-SPEC section 5).
 *
 * @param name {@code quick} or {@code paper}
 * @param base the keys every run of the profile sets over the task file
 * @param multiplePts K of S6's "Multiple PTs"
 * @param fromScratchEpochs epochs of S1's new models on gold (they start from random weights)
 */
public record StudyProfile(String name, List<Override> base, int multiplePts, int fromScratchEpochs) {

    /** The option each stage carries when it is not run: the paper's bold choice (PAPER-SPEC section 1). */
    public static final Map<Stage, String> PAPER_CHOICE = Map.of(Stage.S1, "encoder_decoder",
            Stage.S2, "decoder_pruning", Stage.S3, "logit_kd", Stage.S4, "logit_kd_single_pt",
            Stage.S5, "labeled_unlabeled", Stage.S6, "multiple", Stage.S7, "sampling", Stage.S8, "joint_teaching");

    /** The teacher's PTs as S4 first makes them: one beam-search PT per labeled input. */
    private static final String SINGLE_PT = "{k: 1, mode: beam, labeled: true, unlabeled: false,"
            + " distribution_top_k: 64, quantization: fp16, batch_size: 32}";

    public StudyProfile {
        base = List.copyOf(base);
    }

    /** The profile with {@code extra} keys after its own (a study's {@code --set}): they win over the profile's. */
    public StudyProfile with(List<Override> extra) {
        List<Override> keys = new ArrayList<>(base);
        keys.addAll(extra);
        return new StudyProfile(name, keys, multiplePts, fromScratchEpochs);
    }

    /** @throws BadInputException for a name that is not a profile */
    public static StudyProfile named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "quick" -> quick();
            case "paper" -> paper();
            default -> throw new BadInputException("--profile: '" + name + "' is not a profile (quick or paper)");
        };
    }

    static StudyProfile quick() {
        return new StudyProfile("quick", List.of(
                key("task.train_size", "100"), key("task.unlabeled_size", "200"),
                key("task.dev_size", "40"), key("task.test_size", "80"),
                key("objective", "{type: cross_entropy}"),
                key("optimization", "{epochs: 2, schedule_epochs: 4, batch_size: 16, learning_rate: 5e-4,"
                        + " warmup_steps: 5, weight_decay: 1e-5, final_finetune_epochs: 1, select_on_dev: true}"),
                key("baseline", "{epochs: 3, batch_size: 16, learning_rate: 5e-4, warmup_steps: 5,"
                        + " weight_decay: 1e-5}"),
                key("evaluation.selection_metric", "bleu"), key("evaluation.num_beams", "4"),
                key("evaluation.batch_size", "32"), key("evaluation.evaluations_per_epoch", "1")),
                2, 4);
    }

    static StudyProfile paper() {
        return new StudyProfile("paper", List.of(
                key("task.train_size", "0"), key("task.unlabeled_size", "0"),
                key("task.dev_size", "0"), key("task.test_size", "0"),
                key("objective", "{type: cross_entropy}"),
                key("optimization", "{epochs: 96, schedule_epochs: 192, batch_size: 96, learning_rate: 5e-4,"
                        + " warmup_steps: 100, weight_decay: 1e-5, early_stopping_patience: 32,"
                        + " final_finetune_epochs: 10, select_on_dev: true}"),
                key("baseline", "{epochs: 15, batch_size: 96, learning_rate: 5e-4, warmup_steps: 100,"
                        + " weight_decay: 1e-5}"),
                key("evaluation.selection_metric", "bleu"), key("evaluation.num_beams", "4"),
                key("evaluation.batch_size", "96"), key("evaluation.evaluations_per_epoch", "2")),
                48, 30);
    }

    /** The options of {@code stage} for {@code task}, in the paper's order; empty when the task cannot run it. */
    public List<StageOption> options(Stage stage, StudyTask task) {
        return switch (stage) {
            case S1 -> architecture(task);
            case S2 -> List.of(pruned("encoder_pruning", "Encoder Pruning", "encoder_layers"),
                    pruned("decoder_pruning", "Decoder Pruning", "decoder_layers"));
            case S3 -> List.of(
                    StageOption.carrying("fine_tuning", "Fine-tuning", key("objective", "{type: cross_entropy}")),
                    StageOption.carrying("logit_kd", "Logits KD", key("objective", "{type: logit_kd, temperature: 1.0}")),
                    StageOption.carrying("noisy_kd", "Noisy KD", key("objective", "{type: noisy_kd, teacher_dropout: 0.1}")),
                    StageOption.carrying("attention_relation", "Attention-Relations KD",
                            key("objective", "{type: attention_relation, scale_batches: 10}")));
            case S4 -> List.of(StageOption.carrying("no_pts", "No PTs").asReference(),
                    StageOption.carrying("finetune_single_pt", "Fine-tune + Single PT",
                            key("objective", "{type: sequence_kd}"), key("pseudo_targets", SINGLE_PT)),
                    StageOption.carrying("logit_kd_single_pt", "Logits KD + Single PT",
                            key("objective", "{type: logit_kd, temperature: 1.0}"), key("pseudo_targets", SINGLE_PT)));
            case S5 -> List.of(StageOption.carrying("labeled", "PTs for Labeled"),
                    StageOption.carrying("labeled_unlabeled", "Labeled and Unlabeled",
                            key("pseudo_targets.unlabeled", "true")));
            case S6 -> List.of(StageOption.carrying("single", "A single PT"),
                    StageOption.carrying("multiple", "Multiple PTs (K = " + multiplePts + ")",
                            key("pseudo_targets.k", Integer.toString(multiplePts))));
            case S7 -> List.of(StageOption.carrying("beam", "Beam Search"),
                    StageOption.carrying("sampling", "Sampling", key("pseudo_targets.mode", "sampling")),
                    StageOption.carrying("high_temperature", "High Temp Sampling",
                            key("pseudo_targets.mode", "high_temperature")));
            case S8 -> List.of(StageOption.carrying("only_teacher", "Only Teacher"),
                    StageOption.carrying("only_student", "Only Student",
                            key("joint_teaching", "{mode: local, student_pt_fraction: 1.0}")),
                    StageOption.carrying("joint_teaching", "Joint-Teaching",
                            key("joint_teaching", "{mode: local, student_pt_fraction: 0.5}")));
        };
    }

    /** Why {@code stage} has no options for {@code task}; empty when it has. */
    public Optional<String> notRunnable(Stage stage, StudyTask task) {
        if (stage == Stage.S1 && (task.encoderDecoderConfig().isEmpty() || task.decoderOnlyConfig().isEmpty())) {
            return Optional.of("the task file's study section names no encoder_decoder_config and"
                    + " decoder_only_config (S1's two new students)");
        }
        return Optional.empty();
    }

    /**
     * S1: a new encoder-decoder and a new decoder-only (GPT-2) model with the teacher's tokenizer, trained on gold
     * only. Nothing carries: the later stages prune the (encoder-decoder) teacher, whatever S1 finds.
     */
    private List<StageOption> architecture(StudyTask task) {
        if (notRunnable(Stage.S1, task).isPresent()) {
            return List.of();
        }
        List<Override> scratch = List.of(key("optimization.epochs", "1"),
                key("optimization.final_finetune_epochs", "0"),
                key("baseline.epochs", Integer.toString(fromScratchEpochs)), key("baseline.learning_rate", "1e-3"));
        List<Override> ed = new ArrayList<>(List.of(key("student",
                "{source: config, config_file: " + quoted(task.encoderDecoderConfig().orElseThrow()) + "}")));
        ed.addAll(scratch);
        List<Override> dec = new ArrayList<>(List.of(key("student",
                "{source: config, config_file: " + quoted(task.decoderOnlyConfig().orElseThrow()) + "}")));
        task.decoderOnlyPrompt().ifPresent(p -> dec.add(key("task.prompt", quoted(p))));
        dec.addAll(scratch);
        return List.of(new StageOption("encoder_decoder", "Encoder-Decoder", List.of(), ed, true),
                new StageOption("decoder_only", "Decoder (GPT-2)", List.of(), dec, true));
    }

    /** S2: the teacher with the first and last layers of one stack, fine-tuned on gold (a short KD phase of CE). */
    private static StageOption pruned(String id, String label, String stack) {
        return new StageOption(id, label, List.of(key("student", "{source: pruned_teacher, " + stack + ": [0, -1]}")),
                List.of(key("optimization.epochs", "1"), key("optimization.final_finetune_epochs", "0")), true);
    }

    /** A YAML double-quoted scalar (JSON string syntax is valid YAML). */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
