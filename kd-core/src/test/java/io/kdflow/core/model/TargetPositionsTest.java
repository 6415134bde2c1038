package io.kdflow.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

class TargetPositionsTest {

    private static final long IGNORED = Labels.IGNORE_INDEX;

    @Test
    void shouldListTheCountedPositionsRowByRowWithTheirLabelsAndPerExampleWeights() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray labels = manager.create(new long[][] {{4, 5, IGNORED}, {IGNORED, IGNORED, IGNORED}, {7, IGNORED, 9}});

            TargetPositions positions = TargetPositions.of(labels);

            assertThat(positions.count()).isEqualTo(4);
            assertThat(positions.rows()).isEqualTo(3);
            assertThat(positions.indices(manager).toLongArray()).containsExactly(0, 1, 6, 8);
            assertThat(positions.labels(manager).toLongArray()).containsExactly(4, 5, 7, 9);
            assertThat(positions.countOf(1)).isZero();
            // 1 / (B n_b): rows 0 and 2 have two positions each, the empty row still counts in B
            assertThat(positions.perExampleWeights(manager, DataType.FLOAT32).toFloatArray())
                    .containsExactly(1f / 6, 1f / 6, 1f / 6, 1f / 6);
        }
    }

    @Test
    void shouldPlaceLabelColumnsAtTheirOutputColumnsOfAWiderGrid() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // a decoder-only batch: 3 prompt columns, then 2 target columns predicted by output columns 2 and 3
            NDArray labels = manager.create(new long[][] {{8, IGNORED}, {6, 3}});

            TargetPositions positions = TargetPositions.of(labels, 5, 2);

            assertThat(positions.indices(manager).toLongArray()).containsExactly(2, 7, 8);
            assertThat(positions.perExampleWeights(manager, DataType.FLOAT32).toFloatArray())
                    .containsExactly(0.5f, 0.25f, 0.25f);
            assertThatThrownBy(() -> TargetPositions.of(labels, 3, 2))
                    .hasMessage("label columns 2 .. 4 do not fit an output grid 3 wide");
        }
    }

    @Test
    void shouldSelectRowsOfTheFlattenedGridInTheGivenOrder() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray grid = manager.arange(24f).reshape(2, 3, 4); // (B, W, E)

            NDArray rows = TargetPositions.select(grid, manager.create(new long[] {4, 0}));

            assertThat(rows.getShape().getShape()).containsExactly(2, 4);
            assertThat(rows.toFloatArray()).containsExactly(16, 17, 18, 19, 0, 1, 2, 3);
        }
    }
}
