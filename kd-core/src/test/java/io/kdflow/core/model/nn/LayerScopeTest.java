package io.kdflow.core.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.kdflow.core.model.AttentionBlock;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A layer's intermediates are freed when it returns; its output, captured projections and cached scalars are not. */
class LayerScopeTest {

    @Test
    void shouldCloseIntermediatesAndKeepTheOutput() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.arange(6f).reshape(2, 3);
            NDArray[] intermediate = new NDArray[1];

            NDArray out = LayerScope.output(() -> {
                intermediate[0] = x.add(1f);
                return intermediate[0].mul(2f);
            }, null);

            assertThat(intermediate[0].isReleased()).isTrue();
            assertThat(x.isReleased()).as("the input was made outside the layer").isFalse();
            assertThat(out.toFloatArray()).containsExactly(2f, 4f, 6f, 8f, 10f, 12f);
        }
    }

    @Test
    void shouldCloseThePreviousHiddenStatesWhenTheNextAreMade() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray previous = manager.arange(4f).add(1f); // made inside the stack, like an embedding output

            NDArray next = LayerScope.next(previous, () -> previous.mul(10f), null);

            assertThat(previous.isReleased()).isTrue();
            assertThat(next.toFloatArray()).containsExactly(10f, 20f, 30f, 40f);
        }
    }

    @Test
    void shouldKeepCapturedProjections() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.ones(new Shape(1, 2, 4));
            Map<AttentionBlock, QueryKeyValue> captured = new EnumMap<>(AttentionBlock.class);

            LayerScope.output(() -> {
                captured.put(AttentionBlock.DECODER_SELF, new QueryKeyValue(x.mul(2f), x.mul(3f), x.mul(4f)));
                return x.add(1f);
            }, captured);

            QueryKeyValue kept = captured.get(AttentionBlock.DECODER_SELF);
            assertThat(kept.queries().isReleased() || kept.keys().isReleased() || kept.values().isReleased()).isFalse();
            assertThat(kept.values().toFloatArray()).containsOnly(4f);
        }
    }

    @Test
    void shouldKeepAScalarFirstCachedInsideALayer() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Scalars scalars = new Scalars(manager);
            NDArray x = manager.ones(new Shape(3));

            LayerScope.output(() -> x.mul(scalars.of(0.25f)), null);
            NDArray again = x.mul(scalars.of(0.25f)); // fails on a closed native array

            assertThat(again.toFloatArray()).containsOnly(0.25f);
        }
    }

    @Test
    void shouldStillBackpropagateThroughClosedIntermediates() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(new float[] {1f, 2f, 3f});
            w.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                // y = sum((w * w) * 3): the square is closed when the layer returns, autograd keeps what it saved
                NDArray y = LayerScope.output(() -> w.mul(w).mul(3f), null).sum();
                collector.backward(y);
            }
            assertThat(w.getGradient().toFloatArray()).containsExactly(6f, 12f, 18f);
        }
    }
}
