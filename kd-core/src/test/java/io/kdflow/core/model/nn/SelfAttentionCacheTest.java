package io.kdflow.core.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The cache grows a chunk of positions at a time, keeps what was written through growth and reorders. */
class SelfAttentionCacheTest {

    private static final int HEADS = 2;
    private static final int HEAD_DIM = 3;

    @Test
    void shouldAllocateOneChunkAtATimeAndKeepEveryWrittenPosition() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SelfAttentionCache cache = new SelfAttentionCache(manager, 2, HEADS, HEAD_DIM, 40);
            assertThat(cache.allocated()).isEqualTo(SelfAttentionCache.CHUNK);

            NDArray prompt = positions(manager, 2, 0, 5); // (2, H, 5, D)
            cache.write(prompt, prompt.neg(), 0);
            assertThat(cache.allocated()).isEqualTo(16);
            for (int t = 5; t < 37; t++) { // one position per step, across two growths
                NDArray step = positions(manager, 2, t, 1);
                cache.write(step, step.neg(), t);
            }

            assertThat(cache.allocated()).as("37 positions: three chunks, capped at the capacity").isEqualTo(40);
            NDArray expected = positions(manager, 2, 0, 37);
            assertThat(cache.values(37, manager).toFloatArray()).containsExactly(expected.neg().toFloatArray());
            assertThat(cache.keysT(37, manager).transpose(0, 1, 3, 2).toFloatArray())
                    .containsExactly(expected.toFloatArray());
        }
    }

    @Test
    void shouldMoveWholeRowsOnReorderAndStillGrowAfterwards() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SelfAttentionCache cache = new SelfAttentionCache(manager, 3, HEADS, HEAD_DIM, 48);
            NDArray first = positions(manager, 3, 0, 16);
            cache.write(first, first, 0);

            cache.reorder(manager.create(new long[] {2, 2, 0}));
            NDArray next = positions(manager, 3, 16, 1); // the 17th position: a second chunk
            cache.write(next, next, 16);

            assertThat(cache.allocated()).isEqualTo(32);
            float[] rows = cache.values(17, manager).toFloatArray();
            int perRow = HEADS * 17 * HEAD_DIM;
            float[] old = positions(manager, 3, 0, 16).toFloatArray();
            int oldPerRow = HEADS * 16 * HEAD_DIM;
            // row 0 is old row 2, row 2 is old row 0; position 0 of head 0 is the first D floats of a row
            assertThat(rows[0]).isEqualTo(old[2 * oldPerRow]);
            assertThat(rows[perRow]).isEqualTo(old[2 * oldPerRow]);
            assertThat(rows[2 * perRow]).isEqualTo(old[0]);
            // position 16 of head 0 in row 0 is what was written there after the reorder
            assertThat(rows[16 * HEAD_DIM]).isEqualTo(next.toFloatArray()[0]);
        }
    }

    @Test
    void shouldRefuseToWritePastItsCapacity() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SelfAttentionCache cache = new SelfAttentionCache(manager, 1, HEADS, HEAD_DIM, 10);
            assertThat(cache.allocated()).as("a capacity below one chunk is allocated whole").isEqualTo(10);
            NDArray tooMany = positions(manager, 1, 0, 11);

            assertThatThrownBy(() -> cache.write(tooMany, tooMany, 0)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("self-attention cache of capacity 10 asked for 11 positions");
        }
    }

    /** (rows, H, count, D) with a distinct value per row, head, position and dimension. */
    private static NDArray positions(NDManager manager, int rows, int first, int count) {
        float[] values = new float[rows * HEADS * count * HEAD_DIM];
        int i = 0;
        for (int r = 0; r < rows; r++) {
            for (int h = 0; h < HEADS; h++) {
                for (int t = first; t < first + count; t++) {
                    for (int d = 0; d < HEAD_DIM; d++) {
                        values[i++] = 1000 * r + 100 * h + t + d / 10f;
                    }
                }
            }
        }
        return manager.create(values, new Shape(rows, HEADS, count, HEAD_DIM));
    }
}
