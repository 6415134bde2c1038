package io.kdflow.core.train.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.core.distill.AttentionRelationKd;
import io.kdflow.core.distill.LogitKd;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.AttendedLogits;
import io.kdflow.core.model.AttentionBlock;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.config.BartConfig;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.T5Config;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.model.nn.ScalarOperand;
import io.kdflow.core.train.PairBatch;
import io.kdflow.core.train.TrainingBatch;
import io.kdflow.core.train.TrainingObjective;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Attention-relation KD (the paper's fourth S3 objective, MiniLMv2-style; docs/method.md), with the teacher in
 * the process: teacher-forced on the batch's targets, the teacher runs in inference mode without gradients and
 * the student in training mode, each handing over its logits and the queries, keys and values of its last
 * encoder layer and last decoder layer from that same pass. The loss is
 *
 * <pre>
 *   L = (1 - w) * s_log * L_log  +  w * (1/9) * sum_r s_r * L_r
 * </pre>
 *
 * <ul>
 *   <li>L_log: the paper's logit KD, KL(teacher || student) per target token at temperature tau, per-example
 *       mean, batch mean, times tau^2 ({@link LogitKd}); left out when w = 1.</li>
 *   <li>L_r, for the nine relations r of {@link LastLayerRelation#ALL}: Q, K, V of the last encoder layer's
 *       self-attention (over the source, padding masked), of the last decoder layer's self-attention (over the
 *       target, causal, label padding masked) and of its cross-attention (Q over the target, K and V over the
 *       source). Each is {@link AttentionRelationKd}: the projection re-split into A relation heads,
 *       R = row-softmax(X X^T / sqrt(d_rel)), KL(R_teacher || R_student) per row, mean over an example's rows,
 *       then over batch and heads. The last student layer is compared with the last teacher layer, whatever their
 *       depths. Left out when w = 0.</li>
 *   <li>A defaults to the teacher's head count of the block (the paper); the student's heads are concatenated and
 *       re-split into A, so teacher and student may differ in width and heads as long as A divides both
 *       widths.</li>
 *   <li>s: {@link RelationLossScales}, 1 / max(mean over the first N batches, 0.025) per term (the paper: N =
 *       100, measured before training in eval mode; {@link #calibrate} does that, otherwise the first N
 *       training batches size them as they come, from the values of their training-mode terms).</li>
 * </ul>
 *
 * The queries are those the attention multiplies (BART: scaled by 1/sqrt(head_dim), as in the reference; T5
 * does not scale). There is no gold cross-entropy term, as in the paper. Both models must expose their attention
 * (BART and T5 do; the decoder-only GPT-2 has no encoder and no cross-attention, as in the reference).
 */
public final class AttentionRelationObjective implements TrainingObjective {

    private static final Set<AttentionBlock> BLOCKS = EnumSet.allOf(AttentionBlock.class);

    private final Seq2SeqModel student;
    private final Seq2SeqModel teacher;
    private final LogitKd logitKd;
    private final double relationWeight;
    private final Map<AttentionBlock, AttentionRelationKd> relations;
    private final List<String> termNames;
    private final RelationLossScales scales;
    private final String name;

    /**
     * @param temperature tau of the logit KD term
     * @param relationHeads relation heads A, 0 = the teacher's head count of each block
     * @param relationWeight w in [0, 1]
     * @param scaleBatches N >= 0 batches that size the scales, 0 = unscaled
     * @throws BadInputException when a model does not expose its attention, or A does not divide a width
     */
    public AttentionRelationObjective(Seq2SeqModel student, Seq2SeqModel teacher, double temperature,
            int relationHeads, double relationWeight, int scaleBatches) {
        if (!(relationWeight >= 0 && relationWeight <= 1) || relationHeads < 0) {
            throw new IllegalArgumentException("relation weight must be in [0, 1] and heads >= 0, got "
                    + relationWeight + " and " + relationHeads);
        }
        requireExposed("student", student);
        requireExposed("teacher", teacher);
        this.student = student;
        this.teacher = teacher;
        this.logitKd = new LogitKd(temperature);
        this.relationWeight = relationWeight;
        this.relations = new EnumMap<>(AttentionBlock.class);
        for (AttentionBlock block : BLOCKS) {
            int heads = relationHeads > 0 ? relationHeads : heads(teacher.config(), block);
            requireDivides(heads, relationHeads, "student", student.config(), block);
            requireDivides(heads, relationHeads, "teacher", teacher.config(), block);
            relations.put(block, new AttentionRelationKd(heads));
        }
        List<String> names = new ArrayList<>();
        if (relationWeight < 1) {
            names.add("logits");
        }
        if (relationWeight > 0) {
            LastLayerRelation.ALL.forEach(relation -> names.add(relation.name()));
        }
        this.termNames = List.copyOf(names);
        this.scales = new RelationLossScales(termNames.size(), scaleBatches);
        this.name = "attention-relation-kd(heads=" + (relationHeads > 0 ? relationHeads : "teacher") + ", weight="
                + relationWeight + ", tau=" + temperature + ")";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public NDArray loss(NDManager manager, TrainingBatch batch, long step) {
        List<NDArray> terms = terms(TeacherForcing.of(manager, batch.pairs(), student), RunMode.TRAINING);
        scales.observe(values(terms));
        try (Autograd.Scope grad = Autograd.enabled()) {
            return combine(terms, scales.scales()); // ()
        }
    }

    /**
     * The paper's start of training: sizes the scales from the first N of {@code batches} (or all of them, if
     * fewer), with student and teacher in inference mode; the training steps then leave the scales as they are.
     * Call it before the first {@link #loss}.
     *
     * @return the batches used
     */
    public int calibrate(NDManager manager, Iterable<TrainingBatch> batches) {
        int used = 0;
        for (TrainingBatch batch : batches) {
            if (scales.fixed()) {
                break;
            }
            try (NDManager scope = manager.newSubManager()) {
                scales.observe(values(terms(TeacherForcing.of(scope, batch.pairs(), student), RunMode.INFERENCE)));
            }
            used++;
        }
        return used;
    }

    /**
     * Every unscaled term of the loss on {@code pairs}, student and teacher in inference mode (for reports and
     * tests): {@code logits} (when w < 1) and the nine relations (when w > 0), e.g. {@code encoder_self.q},
     * {@code decoder_self.k}, {@code decoder_cross.v}.
     */
    public Map<String, Double> terms(NDManager manager, PairBatch pairs) {
        try (NDManager scope = manager.newSubManager()) {
            double[] values = values(terms(TeacherForcing.of(scope, pairs, student), RunMode.INFERENCE));
            Map<String, Double> named = new LinkedHashMap<>();
            for (int i = 0; i < values.length; i++) {
                named.put(termNames.get(i), values[i]);
            }
            return named;
        }
    }

    /** The scale of every term now, in the order of {@link #terms(NDManager, PairBatch)}. */
    public double[] scales() {
        return scales.scales();
    }

    /**
     * The loss scales' state: the terms' names, the batches that fix the scales, those observed so far and the
     * terms' sums over them (a resumed run must not size the scales again on a student that has trained).
     */
    @Override
    public Optional<JsonNode> state() {
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        ArrayNode names = state.putArray("terms");
        termNames.forEach(names::add);
        state.put("scale_batches", scales.batches());
        state.put("observed", scales.observed());
        ArrayNode sums = state.putArray("sums");
        for (double sum : scales.sums()) {
            sums.add(sum);
        }
        return Optional.of(state);
    }

    /** @throws BadInputException when the state is of other terms or another number of scale batches */
    @Override
    public void restoreState(JsonNode state) {
        List<String> names = new ArrayList<>();
        state.path("terms").forEach(name -> names.add(name.asText()));
        JsonNode sums = state.path("sums");
        int observed = state.path("observed").asInt(-1);
        if (!names.equals(termNames) || state.path("scale_batches").asInt(-1) != scales.batches()
                || !sums.isArray() || sums.size() != termNames.size() || observed < 0 || observed > scales.batches()) {
            throw new BadInputException("the loss scales " + state + " are not of this objective (terms "
                    + termNames + ", " + scales.batches() + " scale batches)");
        }
        double[] values = new double[sums.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = sums.get(i).asDouble();
        }
        scales.restore(values, observed);
    }

    /** The unscaled terms, each a scalar: the logit KD first (when w < 1), then the relations (when w > 0). */
    private List<NDArray> terms(TeacherForcing inputs, RunMode studentMode) {
        AttendedLogits taught;
        try (Autograd.Scope noGrad = Autograd.disabled()) {
            taught = teacher.logitsWithAttention(inputs.inputIds(), inputs.attentionMask(), inputs.decoderInputIds(),
                    BLOCKS, RunMode.INFERENCE);
        }
        AttendedLogits learned = student.logitsWithAttention(inputs.inputIds(), inputs.attentionMask(),
                inputs.decoderInputIds(), BLOCKS, studentMode);
        NDArray targetMask = inputs.mask(); // (B, T)
        List<NDArray> terms = new ArrayList<>();
        try (Autograd.Scope grad = studentMode.gradScope()) {
            if (relationWeight < 1) {
                terms.add(logitKd.dense(learned.logits(), taught.logits(), targetMask)); // ()
            }
            if (relationWeight > 0) {
                for (LastLayerRelation relation : LastLayerRelation.ALL) {
                    AttentionBlock block = relation.block();
                    NDArray mask = relation.overSource() ? inputs.attentionMask() : targetMask; // (B, S) or (B, T)
                    terms.add(relations.get(block).loss(relation.of(learned.of(block)), // (B, L, D_S)
                            relation.of(taught.of(block)), mask, relation.causal())); // ()
                }
            }
        }
        return terms;
    }

    private NDArray combine(List<NDArray> terms, double[] scale) {
        int relationCount = LastLayerRelation.ALL.size();
        NDArray total = null;
        for (int i = 0; i < terms.size(); i++) {
            boolean logits = relationWeight < 1 && i == 0;
            double factor = (logits ? 1 - relationWeight : relationWeight / relationCount) * scale[i];
            NDArray term = terms.get(i);
            NDArray weighted = term.mul(ScalarOperand.like(term, factor)); // ()
            total = total == null ? weighted : total.add(weighted);
        }
        return total;
    }

    private static double[] values(List<NDArray> terms) {
        double[] values = new double[terms.size()];
        for (int i = 0; i < values.length; i++) {
            try (NDArray value = terms.get(i).stopGradient().toType(DataType.FLOAT64, true)) {
                values[i] = value.getDouble();
            }
        }
        return values;
    }

    private static void requireExposed(String role, Seq2SeqModel model) {
        if (!model.exposedAttention().containsAll(BLOCKS)) {
            throw new BadInputException("objective ATTENTION_RELATION_KD: the " + role + " is a "
                    + model.config().modelType() + " model, which does not expose its last layer's attention"
                    + " queries, keys and values; attention-relation KD supports BART and T5 teachers and students");
        }
    }

    private static void requireDivides(int heads, int asked, String role, ModelConfig config, AttentionBlock block) {
        int width = width(config);
        if (width % heads != 0) {
            String source = asked > 0 ? "objective.relation_heads: " + asked
                    : "objective.relation_heads: 0 (the teacher's " + heads + " heads)";
            throw new BadInputException(source + " does not divide the " + role + "'s attention width " + width
                    + " (" + block + "); choose a relation head count that divides both models' widths");
        }
    }

    /** Attention width H*D of every block (BART: d_model; T5: num_heads * d_kv). */
    private static int width(ModelConfig config) {
        if (config instanceof BartConfig bart) {
            return bart.dModel();
        }
        if (config instanceof T5Config t5) {
            return t5.innerDim();
        }
        throw new IllegalStateException("only BART and T5 expose their attention, got " + config.modelType());
    }

    private static int heads(ModelConfig config, AttentionBlock block) {
        if (config instanceof BartConfig bart) {
            return block == AttentionBlock.ENCODER_SELF ? bart.encoderAttentionHeads() : bart.decoderAttentionHeads();
        }
        if (config instanceof T5Config t5) {
            return t5.numHeads();
        }
        throw new IllegalStateException("only BART and T5 expose their attention, got " + config.modelType());
    }
}
