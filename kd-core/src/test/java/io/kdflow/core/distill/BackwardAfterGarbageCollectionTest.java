package io.kdflow.core.distill;

import static io.kdflow.core.distill.LossCheck.POSITIONS;
import static io.kdflow.core.distill.LossCheck.VOCAB;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.testing.DirectBuffers;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every loss gives the same gradient when the JVM collects garbage between its forward and its backward pass.
 * The trainer's intermittent "non-finite gradients in nearly every parameter" with a finite loss came from
 * operands that the backward pass reads from memory freed by such a collection: DJL's {@code x.div(2.0)}
 * (every operation with a Number) builds the number as an array over a Java direct buffer and closes it at once,
 * while libtorch's autograd keeps it for the backward pass; the collection frees the buffer, and the backward pass
 * divided by whatever the allocator had written there (0: infinite gradients everywhere). Here the collection
 * happens every time, so the test fails every time such an operand is back.
 */
class BackwardAfterGarbageCollectionTest {

    private static final int K = 4;

    static Stream<Arguments> losses() {
        return Stream.of(DataType.FLOAT64, DataType.FLOAT32).flatMap(type -> Stream.of(
                Arguments.of("logit KD dense, tau 1", type),
                Arguments.of("logit KD dense, tau 2", type),
                Arguments.of("logit KD from records, tau 1", type),
                Arguments.of("logit KD from records, tau 2", type),
                Arguments.of("generalized JSD dense, beta 0.5, tau 2", type),
                Arguments.of("generalized JSD from records, beta 0.5, tau 2", type),
                Arguments.of("reverse KL from records, tau 1", type),
                Arguments.of("attention relations", type),
                Arguments.of("causal attention relations", type)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("losses")
    void shouldGiveTheSameGradientWhenMemoryIsCollectedBetweenForwardAndBackward(String loss, DataType type) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Case lossCase = build(loss, manager, type);

            LossCheck.Evaluated undisturbed = LossCheck.evaluate(lossCase.student(), lossCase.loss());
            LossCheck.Evaluated collected = LossCheck.evaluate(lossCase.student(), lossCase.loss(),
                    DirectBuffers::freeUnreachable);

            assertThat(DoubleStream.of(undisturbed.gradient()).allMatch(Double::isFinite)).as("finite gradient")
                    .isTrue();
            assertThat(collected.loss()).isEqualTo(undisturbed.loss());
            assertThat(collected.gradient()).as("gradient with a collection before the backward pass")
                    .containsExactly(undisturbed.gradient());
        }
    }

    /** A student input and a loss of it. */
    private record Case(NDArray student, Function<NDArray, NDArray> loss) {}

    private static Case build(String loss, NDManager manager, DataType type) {
        NDArray labels = LossFixture.labels(manager);
        NDArray mask = TargetMask.fromLabels(labels);
        NDArray student = LossFixture.studentLogits(manager).toType(type, false); // (B, T, V)
        NDArray teacher = LossFixture.teacherLogits(manager).toType(type, false); // (B, T, V)
        float[] teacherLogProbs = LossCheck.teacherLogProbsAsFloats(LossFixture.teacherLogits(manager)
                .toDoubleArray());
        SparseTeacher records = SparseTeacher.of(manager, LossCheck.topK(teacherLogProbs,
                LossCheck.labelCounts(labels.toLongArray()), K), POSITIONS, VOCAB, type);
        return switch (loss) {
            case "logit KD dense, tau 1" -> new Case(student, s -> new LogitKd(1).dense(s, teacher, mask));
            case "logit KD dense, tau 2" -> new Case(student, s -> new LogitKd(2).dense(s, teacher, mask));
            case "logit KD from records, tau 1" -> new Case(student, s -> new LogitKd(1).sparse(s, records, mask));
            case "logit KD from records, tau 2" -> new Case(student, s -> new LogitKd(2).sparse(s, records, mask));
            case "generalized JSD dense, beta 0.5, tau 2" ->
                    new Case(student, s -> new GeneralizedJsd(0.5, 2).dense(s, teacher, mask));
            case "generalized JSD from records, beta 0.5, tau 2" ->
                    new Case(student, s -> new GeneralizedJsd(0.5, 2).sparse(s, records, mask));
            case "reverse KL from records, tau 1" ->
                    new Case(student, s -> new GeneralizedJsd(1, 1).sparse(s, records, mask));
            case "attention relations" -> relations(manager, type, false);
            case "causal attention relations" -> relations(manager, type, true);
            default -> throw new IllegalArgumentException(loss);
        };
    }

    /** Attention-relation KD between random projections (2, 4, 6) and (2, 4, 8), the last position padding. */
    private static Case relations(NDManager manager, DataType type, boolean causal) {
        NDArray student = manager.create(random(31, 2 * 4 * 6), new Shape(2, 4, 6)).toType(type, false);
        NDArray teacher = manager.create(random(32, 2 * 4 * 8), new Shape(2, 4, 8)).toType(type, false);
        NDArray mask = manager.create(new boolean[] {true, true, true, true, true, true, true, false}, new Shape(2, 4));
        AttentionRelationKd kd = new AttentionRelationKd(2);
        return new Case(student, s -> kd.loss(s, teacher, mask, causal));
    }

    private static double[] random(long seed, int size) {
        Random random = new Random(seed);
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }
}
