package io.kdflow.evaluator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.wire.proto.ModelRole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report log survives restarts, repairs a torn last line and refuses a corrupt middle. */
class ReportLogTest {

    private static final String SHA = "a".repeat(64);

    @TempDir
    Path dir;

    @Test
    void shouldRememberReportedCheckpointsAcrossReopening() {
        ReportLog log = ReportLog.open(dir);
        ReportedCheckpoint first = checkpoint(10, 31.5, true);
        log.append(first);
        log.append(checkpoint(20, 30.0, false));

        ReportLog reopened = ReportLog.open(dir);

        assertThat(reopened.contains(first.id())).isTrue();
        assertThat(reopened.contains(new CheckpointId("job", ModelRole.STUDENT, 10, "b".repeat(64)))).isFalse();
        assertThat(reopened.entries()).containsExactly(first, checkpoint(20, 30.0, false));
    }

    @Test
    void shouldDropATornLastLineSoLaterAppendsStayReadable() throws IOException {
        ReportLog.open(dir).append(checkpoint(10, 31.5, true));
        Files.writeString(dir.resolve(ReportLog.FILE_NAME), "{\"job\":\"job\",\"ro", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        ReportLog repaired = ReportLog.open(dir);
        repaired.append(checkpoint(20, 30.0, false));

        assertThat(ReportLog.open(dir).entries()).extracting(ReportedCheckpoint::step).containsExactly(10L, 20L);
    }

    @Test
    void shouldRefuseAnUnreadableEntryBeforeTheLast() throws IOException {
        Files.writeString(dir.resolve(ReportLog.FILE_NAME), "not json\n{}\n");

        assertThatThrownBy(() -> ReportLog.open(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reports.jsonl: unreadable entry 1");
    }

    @Test
    void shouldReplayIntoTheLeaderboardAfterARestart() {
        ReportLog log = ReportLog.open(dir);
        log.append(checkpoint(10, 31.5, true));
        log.append(checkpoint(20, 30.0, false));

        Leaderboard board = new Leaderboard();
        ReportLog.open(dir).entries().forEach(board::record);

        assertThat(board.best("job", ModelRole.STUDENT)).get().extracting(Leaderboard.Best::step).isEqualTo(10L);
        assertThat(board.improves("job", ModelRole.STUDENT, 30, "bleu", Map.of("bleu", 31.5))).isFalse();
        assertThat(board.improves("job", ModelRole.STUDENT, 30, "bleu", Map.of("bleu", 31.6))).isTrue();
    }

    static ReportedCheckpoint checkpoint(long step, double bleu, boolean best) {
        return new ReportedCheckpoint("job", ModelRole.STUDENT, step, SHA, "store:job/step-" + step,
                Map.of("dev", Map.of("bleu", bleu, "nll", 1.25)), best, "bleu");
    }
}
