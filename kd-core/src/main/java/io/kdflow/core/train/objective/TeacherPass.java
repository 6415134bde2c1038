package io.kdflow.core.train.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.config.BartConfig;
import io.kdflow.core.model.config.Gpt2Config;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigException;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.model.config.T5Config;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.RunMode;
import java.util.Map;

/**
 * How the in-process teacher produces its teacher-forced logits for a KD loss: in inference mode (no dropout,
 * the paper's logit KD) or with dropout active (noisy KD). Either way no gradient reaches the teacher: its
 * weights never require one, and its logits are detached.
 *
 * <p>Our models take the run mode per call, so "dropout on for this forward, back to eval afterwards" (the
 * reference code's {@code teacher.train()} ... {@code teacher.eval()}) needs no state to restore.
 */
public final class TeacherPass {

    private final PretrainedModel model;
    private final RunMode mode;
    private final double dropout;

    private TeacherPass(PretrainedModel model, RunMode mode, double dropout) {
        this.model = model;
        this.mode = mode;
        this.dropout = dropout;
    }

    /** The teacher in inference mode: deterministic logits. */
    public static TeacherPass eval(PretrainedModel teacher) {
        return new TeacherPass(teacher, RunMode.INFERENCE, 0);
    }

    /** The teacher with the dropout of its own config active (GPT-2: its {@code resid_pdrop} is reported). */
    public static TeacherPass noisy(PretrainedModel teacher) {
        return new TeacherPass(teacher, RunMode.TRAINING, dropoutOf(teacher.config()));
    }

    /**
     * The teacher with hidden-state dropout {@code rate} active (BART {@code dropout}, T5 {@code dropout_rate},
     * GPT-2 {@code resid_pdrop} and {@code embd_pdrop}; attention and activation dropout as the teacher's config
     * has them). A model's rates are fixed when it is
     * built, so another rate than the config's needs a replica of the teacher with that rate: a copy of its
     * weights (made once, twice the teacher's memory), freed with the teacher.
     *
     * @param rate in [0, 1)
     */
    public static TeacherPass noisy(PretrainedModel teacher, double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("noisy KD dropout must be in [0, 1), got " + rate);
        }
        if (rate == dropoutOf(teacher.config())) {
            return noisy(teacher);
        }
        return new TeacherPass(replica(teacher, withDropout(teacher.config(), rate)), RunMode.TRAINING, rate);
    }

    /** The teacher model. */
    public PretrainedModel model() {
        return model;
    }

    /** The hidden-state dropout rate active in this pass (0 in inference). */
    public double dropout() {
        return dropout;
    }

    public boolean noisy() {
        return mode == RunMode.TRAINING;
    }

    /** Detached teacher logits (N, V) at the counted positions of these inputs ({@link TargetLogits#logitsAt}). */
    NDArray logitsAt(TargetLogits inputs) {
        NDArray logits = inputs.logitsAt(model, mode); // (N, V)
        try (Autograd.Scope noGrad = Autograd.disabled()) {
            return logits.stopGradient();
        }
    }

    private static double dropoutOf(ModelConfig config) {
        if (config instanceof BartConfig bart) {
            return bart.dropout();
        }
        if (config instanceof T5Config t5) {
            return t5.dropoutRate();
        }
        if (config instanceof Gpt2Config gpt2) {
            return gpt2.residPdrop();
        }
        throw new IllegalArgumentException("noisy KD has no dropout rate for " + config.getClass().getSimpleName());
    }

    private static ModelConfig withDropout(ModelConfig config, double rate) {
        ObjectNode json = config.toJson();
        if (config instanceof Gpt2Config) { // GPT-2 splits BART's "dropout" into the embeddings' and the residuals'
            json.put("resid_pdrop", rate);
            json.put("embd_pdrop", rate);
        } else {
            json.put(config instanceof T5Config ? "dropout_rate" : "dropout", rate);
        }
        try {
            return ModelConfigs.parse(json, "noisy-teacher config (dropout " + rate + ")");
        } catch (ModelConfigException e) {
            throw new IllegalStateException("a teacher config with another dropout must parse", e);
        }
    }

    private static PretrainedModel replica(PretrainedModel teacher, ModelConfig config) {
        NDManager parent = teacher.manager();
        Map<String, NDArray> weights = teacher.stateDict(parent);
        return PretrainedModels.fromStateDict(config, weights, parent);
    }
}
