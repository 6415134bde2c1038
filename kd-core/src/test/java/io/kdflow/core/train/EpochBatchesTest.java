package io.kdflow.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Epochs of shuffled micro-batches: per-epoch data (PT rotation), seeded order, positions that resume. */
class EpochBatchesTest {

    /** Epoch e holds "x<i>-pt<e mod 2>" for five inputs: pseudo-target number e mod K, K = 2. */
    private static List<TrainingExample> epochData(int epoch) {
        return IntStream.range(0, 5)
                .mapToObj(i -> TrainingExample.of("x" + i, "source " + i, "x" + i + "-pt" + epoch % 2)).toList();
    }

    @Test
    void shouldServeEveryExampleOncePerEpochWithItsPseudoTargetAndAShorterLastBatch() {
        EpochBatches source = new EpochBatches(EpochBatchesTest::epochData, 2, 2, 42);

        List<List<String>> batches = drain(source);

        assertThat(batches).extracting(List::size).containsExactly(2, 2, 1, 2, 2, 1);
        assertThat(batches.subList(0, 3).stream().flatMap(List::stream))
                .containsExactlyInAnyOrder("x0-pt0", "x1-pt0", "x2-pt0", "x3-pt0", "x4-pt0");
        assertThat(batches.subList(3, 6).stream().flatMap(List::stream))
                .containsExactlyInAnyOrder("x0-pt1", "x1-pt1", "x2-pt1", "x3-pt1", "x4-pt1");
        assertThat(source.exhausted()).isTrue();
        assertThat(source.next()).isEmpty();
        assertThat(EpochBatches.batchesPerEpoch(5, 2)).isEqualTo(3);
    }

    @Test
    void shouldShuffleBySeedAndResumeFromASavedPosition() {
        List<List<String>> all = drain(new EpochBatches(EpochBatchesTest::epochData, 2, 3, 7));
        assertThat(drain(new EpochBatches(EpochBatchesTest::epochData, 2, 3, 7))).isEqualTo(all);
        assertThat(drain(new EpochBatches(EpochBatchesTest::epochData, 2, 3, 8))).isNotEqualTo(all);

        EpochBatches first = new EpochBatches(EpochBatchesTest::epochData, 2, 3, 7);
        for (int i = 0; i < 4; i++) {
            first.next();
        }
        DataPosition saved = first.position();
        EpochBatches resumed = new EpochBatches(EpochBatchesTest::epochData, 2, 3, 7);
        resumed.seek(saved);

        assertThat(saved).isEqualTo(new DataPosition(1, 1, 7));
        assertThat(drain(resumed)).isEqualTo(all.subList(4, all.size()));
        assertThatThrownBy(() -> resumed.seek(new DataPosition(0, 0, 8)))
                .hasMessage("the checkpoint was shuffled with seed 8, this source with 7");
    }

    /** Epoch e holds n inputs whose targets are i + 1 characters long ("x...x"), tagged with their index. */
    private static List<TrainingExample> lengths(int n) {
        return IntStream.range(0, n).mapToObj(i -> TrainingExample.of("x" + i, "", "x".repeat(i + 1))).toList();
    }

    @Test
    void shouldGroupSimilarLengthsIntoBatchesKeepingEveryExampleAndTheShortLastBatchLast() {
        List<List<String>> grouped = drain(new EpochBatches(epoch -> lengths(23), EpochBatches.Order.LENGTH_GROUPED,
                4, 2, 42));

        assertThat(grouped).extracting(List::size).containsExactly(4, 4, 4, 4, 4, 3, 4, 4, 4, 4, 4, 3);
        for (List<List<String>> epoch : List.of(grouped.subList(0, 6), grouped.subList(6, 12))) {
            assertThat(epoch.stream().flatMap(List::stream).map(String::length))
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 23).boxed().toList());
            // one window: the full batches are runs of the sorted lengths 23..4, the shortest three come last
            assertThat(epoch.subList(0, 5)).extracting(b -> b.stream().mapToInt(String::length).max().getAsInt()
                    - b.stream().mapToInt(String::length).min().getAsInt()).containsOnly(3);
            assertThat(epoch.get(5)).extracting(String::length).containsExactly(3, 2, 1);
        }
        assertThat(grouped.subList(0, 5)).isNotEqualTo(grouped.subList(6, 11)); // the batches' order is shuffled
    }

    @Test
    void shouldSortWithinWindowsSoThatBatchesPadFarLessThanShuffledOnes() {
        int batchSize = 2;
        int examples = batchSize * LengthGroupedOrder.WINDOW_BATCHES * 3;
        List<List<String>> grouped = drain(new EpochBatches(epoch -> lengths(examples),
                EpochBatches.Order.LENGTH_GROUPED, batchSize, 1, 7));
        List<List<String>> shuffled = drain(new EpochBatches(epoch -> lengths(examples), batchSize, 1, 7));

        // a batch pads to its longest example: sorted neighbours differ by about 3, random pairs by about 100
        assertThat(paddedTokens(grouped) - examples * (examples + 1) / 2).isLessThan(examples * 2L);
        assertThat(paddedTokens(shuffled) - examples * (examples + 1) / 2).isGreaterThan(examples * 20L);
        assertThat(grouped.stream().flatMap(List::stream).map(String::length))
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, examples).boxed().toList());
    }

    @Test
    void shouldRepeatGroupedBatchesBySeedAndResumeThem() {
        List<List<String>> all = drain(new EpochBatches(epoch -> lengths(40), EpochBatches.Order.LENGTH_GROUPED, 4,
                3, 5));
        assertThat(drain(new EpochBatches(epoch -> lengths(40), EpochBatches.Order.LENGTH_GROUPED, 4, 3, 5)))
                .isEqualTo(all);
        assertThat(drain(new EpochBatches(epoch -> lengths(40), EpochBatches.Order.LENGTH_GROUPED, 4, 3, 6)))
                .isNotEqualTo(all);

        EpochBatches first = new EpochBatches(epoch -> lengths(40), EpochBatches.Order.LENGTH_GROUPED, 4, 3, 5);
        for (int i = 0; i < 13; i++) {
            first.next();
        }
        EpochBatches resumed = new EpochBatches(epoch -> lengths(40), EpochBatches.Order.LENGTH_GROUPED, 4, 3, 5);
        resumed.seek(first.position());

        assertThat(first.position()).isEqualTo(new DataPosition(1, 3, 5));
        assertThat(drain(resumed)).isEqualTo(all.subList(13, all.size()));
    }

    private static long paddedTokens(List<List<String>> batches) {
        return batches.stream().mapToLong(b -> (long) b.size() * b.stream().mapToInt(String::length).max()
                .getAsInt()).sum();
    }

    private static List<List<String>> drain(BatchSource source) {
        List<List<String>> batches = new ArrayList<>();
        while (true) {
            var next = source.next();
            if (next.isEmpty()) {
                return batches;
            }
            batches.add(next.get().stream().map(TrainingExample::target).toList());
        }
    }
}
