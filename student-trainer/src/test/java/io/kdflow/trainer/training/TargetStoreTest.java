package io.kdflow.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.pt.PtHandle;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.Split;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's store of a job's PT records: on disk under {@code <dir>/<job>/targets.pb}, each identity once, and
 * read back through handles (what the run holds instead of the records), also after a restart.
 */
class TargetStoreTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepRecordsOnDiskAndLoadThemThroughHandlesAcrossARestart() {
        PseudoTarget gold = target("a", PseudoTarget.Kind.GOLD, 0, "the gold");
        PseudoTarget pt = target("a", PseudoTarget.Kind.TEACHER, 0, "a sample");
        PseudoTarget redelivered = target("a", PseudoTarget.Kind.TEACHER, 0, "another text, same identity");
        try (TargetStore store = new TargetStore(dir, "job-1")) {
            assertThat(store.append(gold)).isTrue();
            assertThat(store.append(pt)).isTrue();
            assertThat(store.append(redelivered)).isFalse();

            assertThat(store.size()).isEqualTo(2);
            assertThat(store.handle(redelivered).load()).as("the first copy").isEqualTo(pt);
            assertThat(store.handles().stream().map(PtHandle::load).toList()).containsExactly(gold, pt);
        }
        assertThat(dir.resolve("job-1/targets.pb")).isRegularFile();
        try (TargetStore restarted = new TargetStore(dir, "job-1")) {
            List<PtHandle> handles = restarted.handles();
            assertThat(handles).extracting(h -> h.kind() + " " + h.exampleId() + " " + h.ptIndex())
                    .containsExactly("GOLD a 0", "TEACHER a 0");
            assertThat(handles.stream().map(PtHandle::load).toList()).containsExactly(gold, pt);
            assertThat(restarted.readAll()).containsExactly(gold, pt);
        }
    }

    @Test
    void shouldRejectAJobIdThatCannotNameADirectory() {
        assertThatThrownBy(() -> new TargetStore(dir, "../escape")).isInstanceOf(BadInputException.class)
                .hasMessage("job id '../escape' must be 1-128 characters of [A-Za-z0-9._-] and not start with '.'");
    }

    private static PseudoTarget target(String exampleId, PseudoTarget.Kind kind, int ptIndex, String text) {
        return PseudoTarget.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId("job-1"))
                .setExampleId(exampleId)
                .setSplit(Split.TRAIN)
                .setKind(kind)
                .setPtIndex(ptIndex)
                .setNumPseudoTargets(1)
                .setSource("source " + exampleId)
                .setText(text)
                .build();
    }
}
