package io.kdflow.sampler.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The order of a job's generation steps: batches as inputs arrive, then PT-index-major over the batches. */
class PtRoundsTest {

    @Test
    void shouldGiveEveryInputPtZeroBeforeAnyInputGetsPtOne() {
        PtRounds<String> rounds = new PtRounds<>(2, 3, true);
        List.of("a", "b", "c", "d", "e").forEach(rounds::add);

        List<String> order = drain(rounds);

        assertThat(order).containsExactly("[a, b]@0", "[c, d]@0", "[e]@0", "[a, b]@1", "[c, d]@1", "[e]@1",
                "[a, b]@2", "[c, d]@2", "[e]@2");
        assertThat(rounds.unfinished()).isZero();
    }

    @Test
    void shouldWaitForAFullBatchUntilFlushedThenGiveLateInputsPtZeroFirst() {
        PtRounds<String> rounds = new PtRounds<>(2, 2, true);
        rounds.add("a");
        assertThat(rounds.hasNext(false)).isFalse();
        assertThat(rounds.next(false)).isEmpty();
        PtRounds.Step<String> first = rounds.next(true).orElseThrow();
        assertThat(first.batch().inputs()).containsExactly("a");
        assertThat(first.first()).isTrue();
        assertThat(rounds.done(first)).isFalse();

        rounds.add("b");
        rounds.add("c");
        assertThat(drain(rounds)).containsExactly("[b, c]@0", "[a]@1", "[b, c]@1");
    }

    @Test
    void shouldFinishABeamSearchBatchInOneStep() {
        PtRounds<String> rounds = new PtRounds<>(4, 3, false);
        rounds.add("a");
        PtRounds.Step<String> step = rounds.next(true).orElseThrow();

        assertThat(rounds.done(step)).isTrue();
        assertThat(rounds.hasNext(true)).isFalse();
        assertThatThrownBy(() -> rounds.done(step)).isInstanceOf(IllegalStateException.class);
    }

    private static List<String> drain(PtRounds<String> rounds) {
        List<String> order = new ArrayList<>();
        for (Optional<PtRounds.Step<String>> step = rounds.next(true); step.isPresent(); step = rounds.next(true)) {
            order.add(step.get().batch().inputs() + "@" + step.get().ptIndex());
            rounds.done(step.get());
        }
        return order;
    }
}
