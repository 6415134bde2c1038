package io.kdflow.core.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class RowPackingTest {

    @Test
    void shouldPackTheMaskedPositionsRowMajorAndPadThemBackWithZeros() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // (2, 3, 2): position (b, t) holds the pair (10b + t + 1, -(10b + t + 1))
            NDArray grid = manager.create(new float[] {1, -1, 2, -2, 3, -3, 11, -11, 12, -12, 13, -13}, new Shape(2, 3, 2));
            RowPacking rows = RowPacking.ofMask(manager.create(new long[][] {{1, 1, 0}, {0, 1, 1}})); // left padding too

            NDArray packed = rows.pack(grid);
            NDArray padded = rows.pad(packed);

            assertThat(rows.count()).isEqualTo(4);
            // allocated in whole blocks of rows; the filler rows repeat the first real row
            assertThat(packed.getShape()).isEqualTo(new Shape(RowPacking.BLOCK_ROWS, 2));
            assertThat(packed.get("0:4").toFloatArray()).containsExactly(1, -1, 2, -2, 12, -12, 13, -13);
            assertThat(packed.get("4:").toFloatArray()).hasSize(2 * (RowPacking.BLOCK_ROWS - 4)).containsOnly(1, -1);
            assertThat(padded.getShape()).isEqualTo(new Shape(2, 3, 2));
            assertThat(padded.toFloatArray()).containsExactly(1, -1, 2, -2, 0, 0, 0, 0, 12, -12, 13, -13);
        }
    }

    @Test
    void shouldCoverEachRowUpToItsLastAskedPositionForACausalDecoder() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray grid = manager.arange(0f, 12f).reshape(3, 4, 1); // position (b, t) holds 4b + t
            // row 0 up to t = 2, row 1 nothing, row 2 up to t = 3 (asked out of order, one twice)
            RowPacking rows = RowPacking.ofCausalPrefixes(new long[] {11, 2, 9, 0, 9}, 3, 4, manager);

            assertThat(rows.count()).isEqualTo(7);
            assertThat(rows.pack(grid).get("0:7").toFloatArray()).containsExactly(0, 1, 2, 8, 9, 10, 11);
            // the rows of the asked positions, in the order asked
            assertThat(rows.at(rows.pack(grid), new long[] {11, 0, 9}).toFloatArray()).containsExactly(11, 0, 9);
        }
    }

    @Test
    void shouldLeaveOutThePrefixesPaddingUnlessItIsAsked() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray grid = manager.arange(0f, 8f).reshape(2, 4, 1); // position (b, t) holds 4b + t
            NDArray mask = manager.create(new long[][] {{0, 1, 1, 1}, {1, 1, 0, 0}}); // left and right padding
            // row 0 up to t = 2; row 1 up to t = 2, which is padding but asked
            RowPacking rows = RowPacking.ofCausalPrefixes(new long[] {2, 6}, 2, 4, mask, manager);

            assertThat(rows.count()).isEqualTo(5);
            assertThat(rows.pack(grid).get("0:5").toFloatArray()).containsExactly(1, 2, 4, 5, 6);
        }
    }

    @Test
    void shouldCarryTheGradientToTheRealPositionsOnly() {
        try (NDManager manager = NDManager.newBaseManager(); Autograd.Scope grad = Autograd.enabled()) {
            NDArray grid = manager.ones(new Shape(2, 3, 2));
            grid.setRequiresGradient(true);
            RowPacking rows = RowPacking.ofMask(manager.create(new long[][] {{1, 0, 1}, {1, 1, 0}}));

            NDArray weights = manager.arange(1f, 13f).reshape(2, 3, 2);
            Autograd.backward(rows.pad(rows.pack(grid)).mul(weights).sum());

            // d/dx of sum(w * pad(pack(x))): w at real positions, 0 at padding
            assertThat(grid.getGradient().toFloatArray()).containsExactly(1, 2, 0, 0, 5, 6, 7, 8, 9, 10, 0, 0);
        }
    }

    @Test
    void shouldPassAGridWithoutPaddingThroughUnchanged() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray grid = manager.arange(0f, 6f).reshape(2, 3, 1);
            RowPacking rows = RowPacking.ofMask(manager.ones(new Shape(2, 3)));

            assertThat(rows.pack(grid).getShape()).isEqualTo(new Shape(6, 1));
            assertThat(rows.pad(rows.pack(grid)).toFloatArray()).containsExactly(0, 1, 2, 3, 4, 5);
        }
    }

    @Test
    void shouldNameTheBadPosition() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> RowPacking.ofCausalPrefixes(new long[] {3, 12}, 3, 4, manager))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("position 12 is outside a (3, 4) grid");
            RowPacking rows = RowPacking.ofMask(manager.create(new long[][] {{1, 0}}));
            assertThatThrownBy(() -> rows.at(manager.zeros(new Shape(1, 2)), new long[] {1}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("grid position 1 is padding");
        }
    }
}
