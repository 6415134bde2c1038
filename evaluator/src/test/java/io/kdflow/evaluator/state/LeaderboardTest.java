package io.kdflow.evaluator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kdflow.core.wire.proto.ModelRole;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Best-checkpoint selection and the gap closed, (KD - S) / (T - S). */
class LeaderboardTest {

    private final Leaderboard board = new Leaderboard();

    @Test
    void shouldComputeTheGapClosedPerSplitForHigherAndLowerIsBetterMetrics() {
        record(ModelRole.TEACHER, 0, Map.of("dev", Map.of("bleu", 40.0, "nll", 1.0), "test", Map.of("bleu", 38.0)));
        record(ModelRole.STUDENT_BASELINE, 5, Map.of("dev", Map.of("bleu", 20.0, "nll", 2.0), "test", Map.of("bleu", 18.0)));

        Map<String, Double> dev = board.gapClosed("job", "dev", Map.of("bleu", 35.0, "nll", 1.5), Set.of("bleu", "nll"));
        Map<String, Double> test = board.gapClosed("job", "test", Map.of("bleu", 13.0), Set.of("bleu", "nll"));

        assertThat(dev.get("gap_closed_bleu")).isCloseTo(75.0, within(1e-12));   // (35 - 20) / (40 - 20)
        assertThat(dev.get("gap_closed_nll")).isCloseTo(50.0, within(1e-12));    // (1.5 - 2) / (1 - 2)
        assertThat(test).containsOnlyKeys("gap_closed_bleu");
        assertThat(test.get("gap_closed_bleu")).isCloseTo(-25.0, within(1e-12)); // worse than the baseline
    }

    @Test
    void shouldLeaveTheGapOutWithoutBothReferencesOrWhenTeacherEqualsBaseline() {
        record(ModelRole.TEACHER, 0, Map.of("dev", Map.of("bleu", 40.0, "chrf", 50.0)));
        assertThat(board.gapClosed("job", "dev", Map.of("bleu", 35.0), Set.of("bleu"))).isEmpty();

        record(ModelRole.STUDENT_BASELINE, 1, Map.of("dev", Map.of("bleu", 20.0, "chrf", 50.0)));
        assertThat(board.gapClosed("job", "dev", Map.of("bleu", 35.0, "chrf", 55.0), Set.of("bleu", "chrf")))
                .containsOnlyKeys("gap_closed_bleu");
    }

    @Test
    void shouldSelectStrictlyBetterCheckpointsPerRoleInTheMetricsDirection() {
        assertThat(board.improves("job", ModelRole.STUDENT, 1, "nll", Map.of("nll", 2.0))).isTrue();
        board.record(new ReportedCheckpoint("job", ModelRole.STUDENT, 1, "a".repeat(64), "store:x",
                Map.of("dev", Map.of("nll", 2.0)), true, "nll"));

        assertThat(board.improves("job", ModelRole.STUDENT, 2, "nll", Map.of("nll", 2.0))).isFalse();
        assertThat(board.improves("job", ModelRole.STUDENT, 2, "nll", Map.of("nll", 1.9))).isTrue();
        assertThat(board.improves("job", ModelRole.STUDENT_BASELINE, 2, "nll", Map.of("nll", 9.0))).isTrue();
        assertThat(board.improves("job", ModelRole.STUDENT, 2, "bleu", Map.of("nll", 1.0)))
                .as("no selection metric, no best").isFalse();
        assertThat(board.improves("job", ModelRole.STUDENT, 0, "nll", Map.of("nll", 2.0)))
                .as("an equal score at an earlier step is the best (ties: earliest step)").isTrue();
    }

    private void record(ModelRole role, long step, Map<String, Map<String, Double>> splits) {
        board.record(new ReportedCheckpoint("job", role, step, "a".repeat(64), "store:job/" + step, splits, true,
                "bleu"));
    }
}
