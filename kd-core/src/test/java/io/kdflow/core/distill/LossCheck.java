package io.kdflow.core.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.wire.SparseDistribution;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Test helpers: a loss and its gradient with respect to the student logits, and sparse rows of a teacher. */
final class LossCheck {

    static final int BATCH = 3;
    static final int POSITIONS = 5;
    static final int VOCAB = 11;

    private LossCheck() {}

    /** A loss value and d(loss)/d(student logits), row-major (B, T, V). */
    record Evaluated(double loss, double[] gradient) {}

    /** Evaluates {@code loss} on a fresh copy of {@code studentLogits} that records a gradient. */
    static Evaluated evaluate(NDArray studentLogits, Function<NDArray, NDArray> loss) {
        return evaluate(studentLogits, loss, () -> { });
    }

    /** {@link #evaluate}, running {@code betweenPasses} after the forward pass and before the backward pass. */
    static Evaluated evaluate(NDArray studentLogits, Function<NDArray, NDArray> loss, Runnable betweenPasses) {
        NDArray student = studentLogits.duplicate(); // (B, T, V)
        student.setRequiresGradient(true);
        try (Autograd.Scope grad = Autograd.enabled()) {
            NDArray value = loss.apply(student); // ()
            betweenPasses.run();
            Autograd.backward(value);
            return new Evaluated(value.toType(DataType.FLOAT64, false).getDouble(),
                    student.getGradient().toType(DataType.FLOAT64, false).toDoubleArray());
        }
    }

    static void assertClose(double[] actual, double[] expected, double tolerance, String what) {
        assertThat(actual).as(what + " size").hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as(what + " [" + i + "]").isCloseTo(expected[i], within(tolerance));
        }
    }

    /** log_softmax over the last axis of row-major (rows, V) values, divided by tau first. */
    static double[] logSoftmax(double[] logits, int vocab, double temperature) {
        double[] out = new double[logits.length];
        for (int row = 0; row < logits.length / vocab; row++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                max = Math.max(max, logits[row * vocab + v] / temperature);
            }
            double sum = 0;
            for (int v = 0; v < vocab; v++) {
                sum += Math.exp(logits[row * vocab + v] / temperature - max);
            }
            for (int v = 0; v < vocab; v++) {
                out[row * vocab + v] = logits[row * vocab + v] / temperature - max - Math.log(sum);
            }
        }
        return out;
    }

    /** The teacher's unscaled log-probs as floats (what a record carries), row-major (B, T, V). */
    static float[] teacherLogProbsAsFloats(double[] teacherLogits) {
        double[] logProbs = logSoftmax(teacherLogits, VOCAB, 1);
        float[] floats = new float[logProbs.length];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = (float) logProbs[i];
        }
        return floats;
    }

    /** The float log-probs widened back, usable as dense teacher logits equal to the records' teacher. */
    static NDArray asLogits(NDManager manager, float[] logProbs) {
        double[] wide = new double[logProbs.length];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = logProbs[i];
        }
        return manager.create(wide, new Shape(BATCH, POSITIONS, VOCAB)); // (B, T, V) float64
    }

    /** One top-k record per example, covering its first {@code positions[b]} positions. */
    static List<SparseDistribution> topK(float[] logProbs, int[] positions, int k) {
        List<SparseDistribution> records = new ArrayList<>();
        for (int b = 0; b < BATCH; b++) {
            float[][] rows = new float[positions[b]][VOCAB];
            for (int t = 0; t < positions[b]; t++) {
                System.arraycopy(logProbs, (b * POSITIONS + t) * VOCAB, rows[t], 0, VOCAB);
            }
            records.add(SparseDistribution.fromLogProbs(rows, k));
        }
        return records;
    }

    /** Label tokens per example of the fixture (its labels are right-padded with -100). */
    static int[] labelCounts(long[] labels) {
        int[] counts = new int[BATCH];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != -100) {
                counts[i / POSITIONS]++;
            }
        }
        return counts;
    }
}
