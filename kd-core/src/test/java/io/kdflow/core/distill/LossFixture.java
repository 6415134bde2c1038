package io.kdflow.core.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The golden loss fixture {@code losses/loss_reference.json} (PyTorch 2.13 and TRL 1.13 in float64): student
 * and teacher logits (3, 5, 11), labels with -100, the paper's logit KD and TRL's generalized JSD with their
 * gradients with respect to the student logits, and recorded {@code torch.optim.AdamW} steps.
 */
public final class LossFixture {

    private static final String RESOURCE = "/losses/loss_reference.json";
    private static final JsonNode ROOT = load();

    private LossFixture() {}

    public static JsonNode root() {
        return ROOT;
    }

    /** (3, 5, 11) float64. */
    static NDArray studentLogits(NDManager manager) {
        return manager.create(flatten(ROOT.get("student_logits")), new Shape(3, 5, 11));
    }

    /** (3, 5, 11) float64. */
    static NDArray teacherLogits(NDManager manager) {
        return manager.create(flatten(ROOT.get("teacher_logits")), new Shape(3, 5, 11));
    }

    /** (3, 5) int64, -100 at ignored positions. */
    static NDArray labels(NDManager manager) {
        double[] values = flatten(ROOT.get("labels"));
        long[] labels = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            labels[i] = (long) values[i];
        }
        return manager.create(labels, new Shape(3, 5));
    }

    /** All numbers of a nested JSON array, row-major. */
    public static double[] flatten(JsonNode nested) {
        List<Double> values = new ArrayList<>();
        collect(nested, values);
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void collect(JsonNode node, List<Double> values) {
        if (node.isArray()) {
            node.forEach(child -> collect(child, values));
        } else {
            values.add(node.asDouble());
        }
    }

    private static JsonNode load() {
        try (InputStream in = LossFixture.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + RESOURCE);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
