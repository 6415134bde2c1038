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
