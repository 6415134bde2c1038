package io.kdflow.core.train.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.distill.AttentionRelationKd;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.AttendedLogits;
import io.kdflow.core.model.AttentionBlock;
import io.kdflow.core.model.Labels;
import io.kdflow.core.model.LayerPruning;
import io.kdflow.core.model.Parameter;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.QueryKeyValue;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.train.PairBatch;
import io.kdflow.core.train.TrainingBatch;
import io.kdflow.core.train.TrainingExample;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attention-relation KD on the objective fixture (bart-tiny teacher: d_model 64, 4 heads, 2 encoder and 4 decoder
 * layers; its decoder-pruned copy, layers 0 and 3, as student): what BART hands over, how the terms are weighed
 * and scaled, the gradient of the whole student against central finite differences, and padding.
 */
class AttentionRelationObjectiveTest {

    private static final Set<AttentionBlock> ALL = EnumSet.allOf(AttentionBlock.class);
    private static final List<String> RELATIONS = List.of("encoder_self.q", "encoder_self.k", "encoder_self.v",
            "decoder_self.q", "decoder_self.k", "decoder_self.v", "decoder_cross.q", "decoder_cross.k",
            "decoder_cross.v");
    private static final double STEP = 1e-5;

    @TempDir
    static Path temp;

    private static ObjectiveFixture fixture;

    @BeforeAll
    static void load() throws Exception {
        fixture = new ObjectiveFixture(temp);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void shouldHandOverTheLastLayersProjectionsFromThePassThatGivesTheLogits() {
        PairBatch pairs = fixture.batch().pairs();
        try (NDManager manager = fixture.manager.newSubManager()) {
            NDArray ids = manager.create(pairs.inputIds());
            NDArray mask = manager.create(pairs.attentionMask());
            NDArray decoderIds = Labels.shiftRight(manager.create(pairs.labels()), 2, 1);
            long sources = ids.getShape().get(1);
            long targets = decoderIds.getShape().get(1);

            AttendedLogits attended = fixture.teacher.logitsWithAttention(ids, mask, decoderIds, ALL,
                    RunMode.INFERENCE);
            NDArray logits = fixture.teacher.logits(ids, mask, decoderIds, RunMode.INFERENCE);

            assertThat(attended.logits().toFloatArray()).containsExactly(logits.toFloatArray());
            assertThat(attended.lastLayer().keySet()).isEqualTo(ALL);
            QueryKeyValue encoderSelf = attended.of(AttentionBlock.ENCODER_SELF);
            QueryKeyValue decoderSelf = attended.of(AttentionBlock.DECODER_SELF);
            QueryKeyValue cross = attended.of(AttentionBlock.DECODER_CROSS);
            assertThat(List.of(encoderSelf.queries(), encoderSelf.keys(), encoderSelf.values(), cross.keys(),
                    cross.values())).allSatisfy(x -> assertThat(x.getShape()).isEqualTo(new Shape(3, sources, 64)));
            assertThat(List.of(decoderSelf.queries(), decoderSelf.keys(), decoderSelf.values(), cross.queries()))
                    .allSatisfy(x -> assertThat(x.getShape()).isEqualTo(new Shape(3, targets, 64)));

            // the cross-attention's keys and values are the last decoder layer's projections of the encoder output
            NDArray hidden = fixture.teacher.encode(ids, mask, RunMode.INFERENCE).hiddenStates(); // (B, S, E)
            Map<String, NDArray> weights = fixture.teacher.stateDict(manager);
            String layer = "model.decoder.layers.3.encoder_attn.";
            assertClose(cross.keys(), project(hidden, weights, layer + "k_proj"));
            assertClose(cross.values(), project(hidden, weights, layer + "v_proj"));

            AttendedLogits encoderOnly = fixture.teacher.logitsWithAttention(ids, mask, decoderIds,
                    Set.of(AttentionBlock.ENCODER_SELF), RunMode.INFERENCE);
            assertThat(encoderOnly.lastLayer().keySet()).containsExactly(AttentionBlock.ENCODER_SELF);
            assertThatThrownBy(() -> encoderOnly.of(AttentionBlock.DECODER_SELF))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("DECODER_SELF was not asked");
        }
    }

    @Test
    void shouldWeighTheLogitAndRelationTermsAndScaleEachByItsFirstBatches() {
        TrainingBatch batch = fixture.batch();
        try (NDManager manager = fixture.manager.newSubManager()) {
            AttentionRelationObjective unscaled = new AttentionRelationObjective(fixture.student, fixture.teacher, 1,
                    0, 0.5, 0);
            Map<String, Double> terms = unscaled.terms(manager, batch.pairs());

            assertThat(unscaled.name()).isEqualTo("attention-relation-kd(heads=teacher, weight=0.5, tau=1.0)");
            assertThat(terms.keySet()).startsWith("logits").containsSubsequence(RELATIONS).hasSize(10);
            // the pruned student keeps the teacher's encoder and last decoder layer: the same encoder relations,
            // and the same cross-attention keys and values over the same encoder output
            for (String same : List.of("encoder_self.q", "encoder_self.k", "encoder_self.v", "decoder_cross.k",
                    "decoder_cross.v")) {
                assertThat(terms.get(same)).as(same).isCloseTo(0, within(1e-6));
            }
            for (String differs : List.of("logits", "decoder_self.q", "decoder_self.k", "decoder_self.v",
                    "decoder_cross.q")) {
                assertThat(terms.get(differs)).as(differs).isGreaterThan(1e-4);
            }
            double relationSum = RELATIONS.stream().mapToDouble(terms::get).sum();
            assertThat((double) unscaled.loss(manager, batch, 0).getFloat())
                    .isCloseTo(0.5 * terms.get("logits") + 0.5 / 9 * relationSum, within(1e-6));

            AttentionRelationObjective scaled = new AttentionRelationObjective(fixture.student, fixture.teacher, 1, 0,
                    0.5, 2);
            double first = scaled.loss(manager, batch, 0).getFloat();
            double expected = 0.5 * terms.get("logits") / Math.max(terms.get("logits"), 0.025);
            for (String relation : RELATIONS) {
                expected += 0.5 / 9 * terms.get(relation) / Math.max(terms.get(relation), 0.025);
            }
            assertThat(first).isCloseTo(expected, within(1e-5));
            double[] scales = scaled.scales();
            assertThat(scales[0]).isCloseTo(1 / terms.get("logits"), within(1e-4 / terms.get("logits")));
            assertThat(scales[1]).as("a zero term is scaled by 1 / 0.025").isCloseTo(40, within(1e-9));

            AttentionRelationObjective relationsOnly = new AttentionRelationObjective(fixture.student,
                    fixture.teacher, 1, 2, 1, 0);
            assertThat(relationsOnly.terms(manager, batch.pairs()).keySet()).containsExactlyElementsOf(RELATIONS);
        }
    }

    /**
     * Each relation term is {@link AttentionRelationKd} on the right projections: the target mask and the causal
     * restriction for decoder self-attention, the target mask for the cross-attention's queries and the source
     * mask for its keys and values; the student first, the teacher as the target.
     */
    @Test
    void shouldRelateEachProjectionOverItsOwnPositionsAndMask() {
        PairBatch pairs = fixture.batch().pairs();
        try (NDManager manager = fixture.manager.newSubManager()) {
            NDArray ids = manager.create(pairs.inputIds());
            NDArray sourceMask = manager.create(pairs.attentionMask());
            NDArray labels = manager.create(pairs.labels());
            NDArray targetMask = labels.neq(Labels.IGNORE_INDEX);
            NDArray decoderIds = Labels.shiftRight(labels, 2, 1);
            AttendedLogits student = fixture.student.logitsWithAttention(ids, sourceMask, decoderIds, ALL,
                    RunMode.INFERENCE);
            AttendedLogits teacher = fixture.teacher.logitsWithAttention(ids, sourceMask, decoderIds, ALL,
                    RunMode.INFERENCE);
            AttentionRelationKd kd = new AttentionRelationKd(2);
            QueryKeyValue studentSelf = student.of(AttentionBlock.DECODER_SELF);
            QueryKeyValue teacherSelf = teacher.of(AttentionBlock.DECODER_SELF);
            QueryKeyValue studentCross = student.of(AttentionBlock.DECODER_CROSS);
            QueryKeyValue teacherCross = teacher.of(AttentionBlock.DECODER_CROSS);

            Map<String, Double> terms = new AttentionRelationObjective(fixture.student, fixture.teacher, 1, 2, 1, 0)
                    .terms(manager, pairs);

            double selfKeys = kd.loss(studentSelf.keys(), teacherSelf.keys(), targetMask, true).getFloat();
            double selfKeysAhead = kd.loss(studentSelf.keys(), teacherSelf.keys(), targetMask, false).getFloat();
            double backwards = kd.loss(teacherSelf.keys(), studentSelf.keys(), targetMask, true).getFloat();
            assertThat(terms.get("decoder_self.k")).isCloseTo(selfKeys, within(1e-6));
            assertThat(Math.abs(selfKeysAhead - selfKeys)).as("the causal restriction matters").isGreaterThan(1e-4);
            assertThat(Math.abs(backwards - selfKeys)).as("the direction matters").isGreaterThan(1e-4);
            assertThat(terms.get("decoder_cross.q")).isCloseTo(
                    kd.loss(studentCross.queries(), teacherCross.queries(), targetMask, false).getFloat(), within(1e-6));
            assertThat(terms.get("decoder_self.v")).isCloseTo(
                    kd.loss(studentSelf.values(), teacherSelf.values(), targetMask, true).getFloat(), within(1e-6));
        }
    }

    @Test
    void shouldCalibrateTheScalesOnceInInferenceMode() {
        TrainingBatch batch = fixture.batch();
        try (NDManager manager = fixture.manager.newSubManager()) {
            AttentionRelationObjective objective = new AttentionRelationObjective(fixture.student, fixture.teacher, 1,
                    0, 0.5, 2);
            Map<String, Double> terms = objective.terms(manager, batch.pairs());

            assertThat(objective.calibrate(manager, List.of(batch, batch, batch))).as("only the first 2").isEqualTo(2);
            double[] calibrated = objective.scales();
            objective.loss(manager, batch, 0);

            assertThat(objective.scales()).as("fixed after calibration").containsExactly(calibrated);
            assertThat(calibrated[0]).isCloseTo(1 / terms.get("logits"), within(1e-6 / terms.get("logits")));
        }
    }

    /** Float64 student and teacher; the tolerance is that of the logit KD check (differences accurate to ~1e-9). */
    @Test
    void shouldMatchCentralDifferencesForParametersOfTheWholeStudent() {
        // HF names; the self-attention's q/k/v and the cross-attention's k/v are slices of fused parameters
        List<String> checked = List.of("model.shared.weight", "model.encoder.layers.1.self_attn.k_proj.weight",
                "model.encoder.layers.0.fc1.weight", "model.decoder.layers.1.self_attn.q_proj.weight",
                "model.decoder.layers.1.self_attn.v_proj.bias", "model.decoder.layers.1.encoder_attn.q_proj.weight",
                "model.decoder.layers.1.encoder_attn.v_proj.weight", "model.decoder.layers.0.final_layer_norm.bias");
        checkGradients(fixture.teacher, fixture.student, fixture.batch(), checked);
    }

    @Test
    void shouldMatchCentralDifferencesForAT5Student() throws Exception {
        List<String> checked = List.of("shared.weight", "encoder.block.3.layer.0.SelfAttention.k.weight",
                "decoder.block.1.layer.0.SelfAttention.q.weight", "decoder.block.1.layer.1.EncDecAttention.q.weight",
                "decoder.block.1.layer.1.EncDecAttention.v.weight", "decoder.block.0.layer.2.layer_norm.weight");
        Path t5Dir = HfTiny.copyModel(HfTiny.T5, temp.resolve("t5-gradient"));
        try (NDManager manager = fixture.manager.newSubManager();
                Seq2SeqModel t5 = PretrainedModels.loadSeq2Seq(t5Dir, manager);
                Seq2SeqModel pruned = (Seq2SeqModel) LayerPruning.pruneDecoderDefault(t5, manager)) {
            checkGradients(t5, pruned, t5Batch(), checked);
        }
    }

    @Test
    void shouldRelateTheLastT5Blocks() throws Exception {
        Path t5Dir = HfTiny.copyModel(HfTiny.T5, temp.resolve("t5-terms"));
        try (NDManager manager = fixture.manager.newSubManager();
                Seq2SeqModel t5 = PretrainedModels.loadSeq2Seq(t5Dir, manager);
                Seq2SeqModel pruned = (Seq2SeqModel) LayerPruning.pruneDecoderDefault(t5, manager)) {
            Map<String, Double> terms = new AttentionRelationObjective(pruned, t5, 1, 0, 0.5, 0)
                    .terms(manager, t5Batch().pairs());

            // the decoder-pruned student keeps the encoder and the last decoder block
            for (String same : List.of("encoder_self.q", "encoder_self.k", "encoder_self.v", "decoder_cross.k",
                    "decoder_cross.v")) {
                assertThat(terms.get(same)).as(same).isCloseTo(0, within(1e-6));
            }
            for (String differs : List.of("logits", "decoder_self.q", "decoder_self.k", "decoder_self.v",
                    "decoder_cross.q")) {
                assertThat(terms.get(differs)).as(differs).isGreaterThan(1e-4);
            }
        }
    }

    /**
     * The student's gradient for every tensor of {@code checked} (HF names) against central differences, at its
     * largest element and one third in, both models converted to float64.
     */
    private static void checkGradients(Seq2SeqModel teacherModel, Seq2SeqModel studentModel, TrainingBatch batch,
            List<String> checked) {
        try (NDManager manager = fixture.manager.newSubManager()) {
            Seq2SeqModel teacher = float64(teacherModel.stateDict(manager), Map.of(), teacherModel.config(), manager);
            Map<String, NDArray> weights = studentModel.stateDict(manager);
            ModelConfig config = studentModel.config();
            Seq2SeqModel student = float64(weights, Map.of(), config, manager);
            Map<String, double[]> gradients = new LinkedHashMap<>();
            try (NDManager step = manager.newSubManager(); Autograd.Scope grad = Autograd.enabled()) {
                for (Parameter parameter : student.parameters()) {
                    parameter.array().setRequiresGradient(true);
                }
                NDArray loss = objective(student, teacher).loss(step, batch, 0);
                assertThat(loss.getDataType()).isEqualTo(DataType.FLOAT64);
                Autograd.backward(loss);
                for (String name : checked) {
                    gradients.put(name, gradientOf(student, name, weights.get(name).size()));
                }
            }

            for (Map.Entry<String, double[]> entry : gradients.entrySet()) {
                double[] gradient = entry.getValue();
                int largest = 0;
                for (int i = 1; i < gradient.length; i++) {
                    largest = Math.abs(gradient[i]) > Math.abs(gradient[largest]) ? i : largest;
                }
                for (int index : new int[] {largest, gradient.length / 3}) {
                    double plus = lossWith(weights, config, teacher, batch, entry.getKey(), index, STEP, manager);
                    double minus = lossWith(weights, config, teacher, batch, entry.getKey(), index, -STEP, manager);
                    double numeric = (plus - minus) / (2 * STEP);
                    assertThat(gradient[index]).as("%s[%d]", entry.getKey(), index)
                            .isCloseTo(numeric, within(1e-6 + 1e-5 * Math.abs(numeric)));
                }
                assertThat(Math.abs(gradient[largest])).as("%s has a gradient", entry.getKey()).isGreaterThan(1e-6);
            }
        }
    }

    @Test
    void shouldNotChangeWithMorePaddingOrWhatPaddedPositionsHold() {
        PairBatch pairs = fixture.batch().pairs();
        try (NDManager manager = fixture.manager.newSubManager()) {
            Seq2SeqModel teacher = float64(fixture.teacher.stateDict(manager), Map.of(), fixture.teacher.config(),
                    manager);
            Seq2SeqModel student = float64(fixture.student.stateDict(manager), Map.of(), fixture.student.config(),
                    manager);
            AttentionRelationObjective objective = new AttentionRelationObjective(student, teacher, 1, 2, 0.5, 0);
            Map<String, Double> base = objective.terms(manager, pairs);
            assertThat(java.util.Arrays.stream(pairs.attentionMask()).flatMapToLong(java.util.Arrays::stream))
                    .as("some source is padded").contains(0L);

            Map<String, Double> morePadding = objective.terms(manager, padded(pairs, 3));
            Map<String, Double> otherPadding = objective.terms(manager, garbageInPadding(pairs));

            for (Map.Entry<String, Double> term : base.entrySet()) {
                assertThat(morePadding.get(term.getKey())).as(term.getKey())
                        .isCloseTo(term.getValue(), within(1e-12 + 1e-10 * term.getValue()));
                assertThat(otherPadding.get(term.getKey())).as(term.getKey())
                        .isCloseTo(term.getValue(), within(1e-12 + 1e-10 * term.getValue()));
            }
        }
    }

    @Test
    void shouldRejectHeadCountsThatDoNotDivideTheWidths() throws Exception {
        assertThatThrownBy(() -> new AttentionRelationObjective(fixture.student, fixture.teacher, 1, 3, 0.5, 0))
                .isInstanceOf(BadInputException.class)
                .hasMessage("objective.relation_heads: 3 does not divide the student's attention width 64"
                        + " (ENCODER_SELF); choose a relation head count that divides both models' widths");
        Path t5Dir = HfTiny.copyModel(HfTiny.T5, temp.resolve("t5"));
        try (NDManager manager = fixture.manager.newSubManager();
                Seq2SeqModel t5 = PretrainedModels.loadSeq2Seq(t5Dir, manager)) {
            // t5-tiny: 4 heads of d_kv 16, so 8 relation heads divide it, but not 3
            assertThatThrownBy(() -> new AttentionRelationObjective(t5, t5, 1, 3, 1, 0))
                    .isInstanceOf(BadInputException.class)
                    .hasMessage("objective.relation_heads: 3 does not divide the student's attention width 64"
                            + " (ENCODER_SELF); choose a relation head count that divides both models' widths");
        }
    }

    private static AttentionRelationObjective objective(Seq2SeqModel student, Seq2SeqModel teacher) {
        // 2 relation heads where the models have 4; both terms; temperature 2; no scaling (constant scales)
        return new AttentionRelationObjective(student, teacher, 2, 2, 0.5, 0);
    }

    /** The gradient of HF tensor {@code name}, read from the (possibly fused) parameter that holds it. */
    private static double[] gradientOf(Seq2SeqModel model, String name, long size) {
        String fused = name;
        int slice = 0;
        // BART: self_attn.{q,k,v}_proj -> qkv_proj, encoder_attn.{k,v}_proj -> kv_proj;
        // T5: SelfAttention.{q,k,v} -> qkv, EncDecAttention.{k,v} -> kv
        List<String> bart = List.of("q_proj", "k_proj", "v_proj");
        List<String> t5 = List.of("q.", "k.", "v.");
        for (int i = 0; i < 3; i++) {
            if (name.contains("self_attn." + bart.get(i))) {
                fused = name.replace(bart.get(i), "qkv_proj");
                slice = i;
            } else if (i > 0 && name.contains("encoder_attn." + bart.get(i))) {
                fused = name.replace(bart.get(i), "kv_proj");
                slice = i - 1;
            } else if (name.contains("SelfAttention." + t5.get(i))) {
                fused = name.replace("SelfAttention." + t5.get(i), "SelfAttention.qkv.");
                slice = i;
            } else if (i > 0 && name.contains("EncDecAttention." + t5.get(i))) {
                fused = name.replace("EncDecAttention." + t5.get(i), "EncDecAttention.kv.");
                slice = i - 1;
            }
        }
        String parameterName = fused;
        Parameter parameter = model.parameters().stream().filter(p -> p.name().equals(parameterName)).findFirst()
                .orElseThrow(() -> new AssertionError("no parameter " + parameterName));
        double[] all = parameter.array().getGradient().toDoubleArray();
        double[] part = new double[Math.toIntExact(size)];
        System.arraycopy(all, slice * part.length, part, 0, part.length);
        return part;
    }

    /** The loss with element {@code index} of tensor {@code name} moved by {@code delta}. */
    private static double lossWith(Map<String, NDArray> weights, ModelConfig config, Seq2SeqModel teacher,
            TrainingBatch batch, String name, int index, double delta, NDManager manager) {
        try (NDManager scope = manager.newSubManager(); Autograd.Scope noGrad = Autograd.disabled()) {
            NDArray original = weights.get(name);
            double[] values = original.toType(DataType.FLOAT64, false).toDoubleArray();
            values[index] += delta;
            Map<String, NDArray> moved = Map.of(name, scope.create(values, original.getShape()));
            Seq2SeqModel student = float64(weights, moved, config, scope);
            return objective(student, teacher).loss(scope, batch, 0).getDouble();
        }
    }

    private static Seq2SeqModel float64(Map<String, NDArray> weights, Map<String, NDArray> replaced,
            ModelConfig config, NDManager manager) {
        Map<String, NDArray> converted = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> entry : weights.entrySet()) {
            NDArray source = replaced.getOrDefault(entry.getKey(), entry.getValue());
            // final_logits_bias is an all-zero buffer the model reads as float32 (and then skips)
            boolean buffer = entry.getKey().equals("final_logits_bias");
            converted.put(entry.getKey(), source.toType(buffer ? DataType.FLOAT32 : DataType.FLOAT64, true));
        }
        return (Seq2SeqModel) PretrainedModels.fromStateDict(config, converted, manager);
    }

    /** x W^T + b of the HF linear {@code prefix}. */
    private static NDArray project(NDArray x, Map<String, NDArray> weights, String prefix) {
        return x.matMul(weights.get(prefix + ".weight").transpose()).add(weights.get(prefix + ".bias"));
    }

    private static void assertClose(NDArray actual, NDArray expected) {
        assertThat(actual.getShape()).isEqualTo(expected.getShape());
        float[] a = actual.toFloatArray();
        float[] e = expected.toFloatArray();
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("element %d", i).isCloseTo(e[i], within(1e-5f));
        }
    }

    /** Two pairs of made-up T5 ids (end token 1, pad 0), one of them padded. */
    private static TrainingBatch t5Batch() {
        long[][] sources = {{12, 40, 77, 5, 300, 1}, {9, 81, 1}};
        long[][] targets = {{55, 18, 230, 1}, {71, 6, 19, 402, 33, 1}};
        PairBatch pairs = PairBatch.ofIds(sources, targets, 32, 32, 0);
        return new TrainingBatch(List.of(TrainingExample.of("t1", "-", "-"), TrainingExample.of("t2", "-", "-")),
                pairs);
    }

    /** {@code extra} more padded positions after every source and target. */
    private static PairBatch padded(PairBatch pairs, int extra) {
        return new PairBatch(widen(pairs.inputIds(), extra, 1), widen(pairs.attentionMask(), extra, 0),
                widen(pairs.labels(), extra, PairBatch.IGNORED));
    }

    private static long[][] widen(long[][] rows, int extra, long fill) {
        long[][] wide = new long[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            wide[i] = java.util.Arrays.copyOf(rows[i], rows[i].length + extra);
            java.util.Arrays.fill(wide[i], rows[i].length, wide[i].length, fill);
        }
        return wide;
    }

    /** Other token ids at the padded source positions (still masked), the labels unchanged. */
    private static PairBatch garbageInPadding(PairBatch pairs) {
        long[][] ids = new long[pairs.inputIds().length][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = pairs.inputIds()[i].clone();
            for (int j = 0; j < ids[i].length; j++) {
                if (pairs.attentionMask()[i][j] == 0) {
                    ids[i][j] = 100 + j;
                }
            }
        }
        return new PairBatch(ids, pairs.attentionMask(), pairs.labels());
    }
}
