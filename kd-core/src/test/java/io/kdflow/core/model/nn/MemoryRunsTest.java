package io.kdflow.core.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which memory rows a reorder keeps, and how many decoder rows share each. */
class MemoryRunsTest {

    @Test
    void shouldShareOneMemoryRowAmongTheRepeatsOfAnInput() {
        long[] repeated = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2}; // 3 inputs, 4 samples each

        int run = MemoryRuns.length(repeated);

        assertThat(run).isEqualTo(4);
        assertThat(MemoryRuns.firstOfEachRun(repeated, run)).containsExactly(0, 1, 2);
        assertThat(MemoryRuns.isIdentity(MemoryRuns.firstOfEachRun(repeated, run), 3)).isTrue();
    }

    @Test
    void shouldKeepTheRemainingInputsWhenOneFinishes() {
        long[] beams = {0, 0, 2, 2}; // input 1 finished, beam width 2

        int run = MemoryRuns.length(beams);

        assertThat(run).isEqualTo(2);
        assertThat(MemoryRuns.firstOfEachRun(beams, run)).containsExactly(0, 2);
        assertThat(MemoryRuns.isIdentity(MemoryRuns.firstOfEachRun(beams, run), 3)).isFalse();
    }

    @Test
    void shouldFallBackToOneMemoryRowPerDecoderRowWhenRunsAreUneven() {
        long[] compacted = {0, 0, 0, 1, 1, 2}; // finished samples dropped unevenly

        int run = MemoryRuns.length(compacted);

        assertThat(run).isEqualTo(1);
        assertThat(MemoryRuns.firstOfEachRun(compacted, run)).containsExactly(0, 0, 0, 1, 1, 2);
    }

    @Test
    void shouldFindARunShorterThanTheFirstWhenTheFirstIsTwoInputsWithOneMemoryRow() {
        long[] rows = {5, 5, 5, 5, 7, 7}; // the same memory row twice in a row, then another: runs of 2

        assertThat(MemoryRuns.length(rows)).isEqualTo(2);
        assertThat(MemoryRuns.firstOfEachRun(rows, 2)).containsExactly(5, 5, 7);
    }
}
