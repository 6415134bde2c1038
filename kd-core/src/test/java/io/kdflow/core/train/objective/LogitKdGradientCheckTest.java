package io.kdflow.core.train.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.kdflow.core.model.Parameter;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.train.TrainingBatch;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gradients of the whole student for the logit KD objective against central finite differences. The models run
 * in float64 (teacher and student converted from the bart-tiny weights), so the differences are accurate to
 * about 1e-9 and the tolerance can be tight.
 */
class LogitKdGradientCheckTest {

    private static final double STEP = 1e-5;
    /** One tensor of every kind: embeddings, attention, feed-forward, layer norm, in encoder and decoder. */
    private static final List<String> CHECKED = List.of("model.shared.weight", "model.encoder.layers.0.fc1.weight",
            "model.decoder.layers.1.self_attn.out_proj.weight", "model.decoder.layers.0.encoder_attn.out_proj.bias",
            "model.decoder.layernorm_embedding.weight", "model.encoder.layers.1.final_layer_norm.bias");

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
    void shouldMatchCentralDifferencesForEveryKindOfStudentParameter() {
        TrainingBatch batch = fixture.batch();
        try (NDManager manager = fixture.manager.newSubManager()) {
            Seq2SeqModel teacher = float64(fixture.teacher, Map.of(), manager);
            Map<String, NDArray> weights = fixture.student.stateDict(manager);
            Seq2SeqModel student = float64(fixture.student, Map.of(), manager);
            Map<String, double[]> gradients = new LinkedHashMap<>();
            try (NDManager step = manager.newSubManager(); Autograd.Scope grad = Autograd.enabled()) {
                for (Parameter parameter : student.parameters()) {
                    parameter.array().setRequiresGradient(true);
                }
                NDArray loss = objective(student, teacher).loss(step, batch, 0);
                assertThat(loss.getDataType()).isEqualTo(DataType.FLOAT64);
                Autograd.backward(loss);
                for (Parameter parameter : student.parameters()) {
                    if (CHECKED.contains(parameter.name())) {
                        gradients.put(parameter.name(), parameter.array().getGradient().toDoubleArray());
                    }
                }
            }
            assertThat(gradients.keySet()).containsExactlyInAnyOrderElementsOf(CHECKED);

            for (Map.Entry<String, double[]> entry : gradients.entrySet()) {
                double[] gradient = entry.getValue();
                int largest = 0;
                for (int i = 1; i < gradient.length; i++) {
                    largest = Math.abs(gradient[i]) > Math.abs(gradient[largest]) ? i : largest;
                }
                for (int index : new int[] {largest, gradient.length / 3}) {
                    double plus = lossWith(weights, teacher, entry.getKey(), index, STEP, manager);
                    double minus = lossWith(weights, teacher, entry.getKey(), index, -STEP, manager);
                    double numeric = (plus - minus) / (2 * STEP);
                    assertThat(gradient[index]).as("%s[%d]", entry.getKey(), index)
                            .isCloseTo(numeric, within(1e-6 + 1e-5 * Math.abs(numeric)));
                }
                assertThat(Math.abs(gradient[largest])).as("%s has a gradient", entry.getKey()).isGreaterThan(1e-6);
            }
        }
    }

    private static DenseKdObjective objective(Seq2SeqModel student, Seq2SeqModel teacher) {
        return new DenseKdObjective(student, TeacherPass.eval(teacher), TokenDivergence.logitKd(2));
    }

    /** The loss with element {@code index} of tensor {@code name} moved by {@code delta}. */
    private static double lossWith(Map<String, NDArray> weights, Seq2SeqModel teacher, String name, int index,
            double delta, NDManager manager) {
        try (NDManager scope = manager.newSubManager(); Autograd.Scope noGrad = Autograd.disabled()) {
            NDArray original = weights.get(name);
            double[] values = original.toType(DataType.FLOAT64, false).toDoubleArray();
            values[index] += delta;
            Map<String, NDArray> moved = Map.of(name, scope.create(values, original.getShape()));
            Seq2SeqModel student = float64FromWeights(weights, moved, fixture.student.config(), scope);
            return objective(student, teacher).loss(scope, fixture.batch(), 0).toType(DataType.FLOAT64, false)
                    .getDouble();
        }
    }

    private static Seq2SeqModel float64(Seq2SeqModel model, Map<String, NDArray> replaced, NDManager manager) {
        return float64FromWeights(model.stateDict(manager), replaced, model.config(), manager);
    }

    private static Seq2SeqModel float64FromWeights(Map<String, NDArray> weights, Map<String, NDArray> replaced,
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
}
