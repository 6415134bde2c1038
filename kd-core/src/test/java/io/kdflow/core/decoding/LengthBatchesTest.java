package io.kdflow.core.decoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.engine.DecodingWorkers;
import io.kdflow.core.error.BadInputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LengthBatchesTest {

    @Test
    void shouldBatchLongestFirstWithTiesInInputOrder() {
        int[] lengths = {5, 9, 2, 9, 7, 2, 5};

        List<int[]> batches = LengthBatches.of(lengths, 3);

        assertThat(batches).containsExactly(new int[] {1, 3, 4}, new int[] {0, 6, 2}, new int[] {5});
    }

    @Test
    void shouldSortOnlyWithinEachWindowAndKeepTheWindowsInInputOrder() {
        int[] lengths = {1, 2, 3, 4, 9, 8, 7, 6, 5};

        List<List<int[]>> windows = LengthBatches.windows(lengths, 2, 4);

        assertThat(windows).hasSize(3);
        assertThat(windows.get(0)).containsExactly(new int[] {3, 2}, new int[] {1, 0});
        assertThat(windows.get(1)).containsExactly(new int[] {4, 5}, new int[] {6, 7});
        assertThat(windows.get(2)).containsExactly(new int[] {8});
    }

    @Test
    void shouldRunSortedBatchesAndHandEachWindowItsResultsInInputOrder() {
        List<String> items = List.of("aaa", "a", "aaaaa", "aa", "aaaa", "a");
        List<List<String>> batchesRun = new ArrayList<>();
        List<String> handed = new ArrayList<>();

        LengthBatches.run(items, String::length, 2, 4, batch -> {
            batchesRun.add(batch);
            return batch.stream().map(String::toUpperCase).toList();
        }, (first, results) -> handed.add(first + ":" + results));

        assertThat(batchesRun).containsExactly(List.of("aaaaa", "aaa"), List.of("aa", "a"), List.of("aaaa", "a"));
        assertThat(handed).containsExactly("0:[AAA, A, AAAAA, AA]", "4:[AAAA, A]");
    }

    @Test
    void shouldHandTheSameWindowsInInputOrderWhenTheBatchesRunOnTwoWorkers() {
        List<String> items = List.of("aaa", "a", "aaaaa", "aa", "aaaa", "a", "aaaaaa", "aa", "a");
        List<String> serial = new ArrayList<>();
        List<String> parallel = new ArrayList<>();

        LengthBatches.run(items, String::length, 2, 6, batch -> batch.stream().map(String::toUpperCase).toList(),
                (first, results) -> serial.add(first + ":" + results));
        try (DecodingWorkers workers = DecodingWorkers.of(2, 1)) {
            LengthBatches.run(items, String::length, 2, 6, batch -> batch.stream().map(String::toUpperCase).toList(),
                    (first, results) -> parallel.add(first + ":" + results), workers);
        }

        assertThat(parallel).containsExactly("0:[AAA, A, AAAAA, AA, AAAA, A]", "6:[AAAAAA, AA, A]")
                .isEqualTo(serial);
    }

    @Test
    void shouldRefuseWorkThatReturnsAnotherNumberOfResults() {
        assertThatThrownBy(() -> LengthBatches.run(List.of("a", "b"), String::length, 2, 2, batch -> List.of("x"),
                (first, results) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessage("1 results for a batch of 2");
    }

    @Test
    void shouldGiveNoBatchForNoExamples() {
        assertThat(LengthBatches.of(new int[0], 4)).isEmpty();
        assertThat(LengthBatches.windows(new int[0], 4, 8)).isEmpty();
    }

    @Test
    void shouldRejectABatchSizeBelowOne() {
        assertThatThrownBy(() -> LengthBatches.of(new int[] {3}, 0))
                .isInstanceOf(BadInputException.class).hasMessage("batch size must be >= 1, got 0");
        assertThatThrownBy(() -> LengthBatches.windows(new int[] {3}, 1, 0))
                .isInstanceOf(BadInputException.class).hasMessage("window must be >= 1, got 0");
    }
}
