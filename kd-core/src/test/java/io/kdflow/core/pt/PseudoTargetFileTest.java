package io.kdflow.core.pt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.Split;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PT file: round trip, de-duplication, a crash-truncated tail dropped, corrupt bytes rejected. */
class PseudoTargetFileTest {

    @TempDir
    Path temp;

    private final List<PseudoTarget> records = List.of(
            PtRecords.gold("a", 2),
            PtRecords.teacher("a", Split.TRAIN, 0, 2),
            PtRecords.teacher("a", Split.TRAIN, 1, 2),
            PtRecords.teacher("u", Split.UNLABELED, 0, 2));

    @Test
    void shouldReadBackWhatWasAppendedInOrder() {
        Path file = temp.resolve("jobs/job-1/pts.pb");
        try (PseudoTargetFile out = PseudoTargetFile.open(file)) {
            for (PseudoTarget record : records) {
                assertThat(out.append(record)).isTrue();
            }
            out.flush();
            assertThat(PseudoTargetFile.readAll(file)).containsExactlyElementsOf(records);
            assertThat(out.size()).isEqualTo(4);
            assertThat(out.contains("a", PseudoTarget.Kind.TEACHER, 1)).isTrue();
            assertThat(out.contains("a", PseudoTarget.Kind.TEACHER, 2)).isFalse();
        }
    }

    @Test
    void shouldLoadEachRecordThroughItsHandleBeforeAndAfterReopening() {
        Path file = temp.resolve("pts.pb");
        PseudoTarget otherText = records.get(1).toBuilder().setText("another sample").build();
        try (PseudoTargetFile out = PseudoTargetFile.open(file)) {
            records.forEach(out::append);
            out.append(otherText);
            // not flushed: loading pushes the buffered records to the file first
            assertThat(out.handles().stream().map(PtHandle::load).toList()).containsExactlyElementsOf(records);
            assertThat(out.handle(otherText).load()).as("the first of equal identities").isEqualTo(records.get(1));
            PtHandle handle = out.handle(records.get(3));
            assertThat(List.of(handle.exampleId(), handle.kind(), handle.ptIndex(), handle.split(),
                    handle.numPseudoTargets())).containsExactly("u", PseudoTarget.Kind.TEACHER, 0, Split.UNLABELED, 2);
        }
        try (PseudoTargetFile again = PseudoTargetFile.open(file)) {
            assertThat(again.handles().stream().map(PtHandle::load).toList()).containsExactlyElementsOf(records);
            PseudoTarget more = PtRecords.teacher("u", Split.UNLABELED, 1, 2);
            again.append(more);
            assertThat(again.handle(more).load()).isEqualTo(more);
            assertThatThrownBy(() -> again.handle(PtRecords.gold("zz", 2)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zz");
        }
    }

    @Test
    void shouldStoreEachIdentityOnceAcrossReopens() {
        Path file = temp.resolve("pts.pb");
        PseudoTarget otherText = records.get(1).toBuilder().setText("another sample").build();
        try (PseudoTargetFile out = PseudoTargetFile.open(file)) {
            out.append(records.get(0));
            out.append(records.get(1));
            assertThat(out.append(otherText)).as("same example, kind and PT index").isFalse();
        }
        try (PseudoTargetFile again = PseudoTargetFile.open(file)) {
            assertThat(again.size()).isEqualTo(2);
            assertThat(again.append(records.get(1))).isFalse();
            assertThat(again.append(records.get(2))).isTrue();
        }
        assertThat(PseudoTargetFile.readAll(file)).containsExactly(records.get(0), records.get(1), records.get(2));
    }

    @Test
    void shouldKeepTheFirstOfDuplicatesWrittenByAnotherWriter() throws IOException {
        Path file = temp.resolve("pts.pb");
        PseudoTarget otherText = records.get(1).toBuilder().setText("another sample").build();
        Files.write(file, framed(records.get(1), otherText, records.get(2)));

        assertThat(PseudoTargetFile.readAll(file)).containsExactly(records.get(1), records.get(2));
    }

    @Test
    void shouldDropATruncatedLastRecordAndAppendAfterTheLastCompleteOne() throws IOException {
        Path file = temp.resolve("pts.pb");
        byte[] whole = framed(records.toArray(PseudoTarget[]::new));
        int lastLength = framed(records.get(3)).length;
        for (int cut : new int[] {1, lastLength / 2, lastLength - 1}) { // the last byte, half, all but the first
            Files.write(file, Arrays.copyOf(whole, whole.length - cut));

            assertThat(PseudoTargetFile.readAll(file)).as("cut " + cut).containsExactlyElementsOf(records.subList(0, 3));
        }
        try (PseudoTargetFile out = PseudoTargetFile.open(file)) {
            assertThat(out.size()).isEqualTo(3);
            assertThat(out.append(records.get(3))).isTrue();
        }
        assertThat(Files.size(file)).isEqualTo(whole.length);
        assertThat(PseudoTargetFile.readAll(file)).containsExactlyElementsOf(records);
    }

    @Test
    void shouldRejectCorruptBytesInTheMiddleNamingFileRecordAndOffset() throws IOException {
        Path file = temp.resolve("pts.pb");
        byte[] bytes = framed(records.toArray(PseudoTarget[]::new));
        int second = framed(records.get(0)).length;
        int prefix = CodedOutputStream.computeUInt32SizeNoTag(records.get(1).getSerializedSize());
        bytes[second + prefix] = 0; // the first byte of record 1's body: field number 0 is no valid tag
        Files.write(file, bytes);

        assertThatThrownBy(() -> PseudoTargetFile.readAll(file))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("PT file " + file + ": record 1 (byte offset " + second + ") is corrupt: ");
        assertThatThrownBy(() -> PseudoTargetFile.open(file))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("PT file " + file + ": record 1 (byte offset " + second + ") is corrupt: ");
    }

    @Test
    void shouldRejectARecordThatBreaksTheWireContract() throws IOException {
        Path file = temp.resolve("pts.pb");
        PseudoTarget badIndex = records.get(2).toBuilder().setPtIndex(5).build(); // pt_index >= num_pseudo_targets
        Files.write(file, framed(records.get(0), badIndex));

        assertThatThrownBy(() -> PseudoTargetFile.readAll(file))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("PT file " + file + ": record 1 (byte offset")
                .hasMessageContaining("pt_index");
    }

    @Test
    void shouldRejectAnImpossibleLengthPrefix() throws IOException {
        Path file = temp.resolve("pts.pb");
        byte[] first = framed(records.get(0));
        byte[] bytes = Arrays.copyOf(first, first.length + 5);
        Arrays.fill(bytes, first.length, bytes.length, (byte) 0xff);
        Files.write(file, bytes);

        assertThatThrownBy(() -> PseudoTargetFile.readAll(file))
                .isInstanceOf(BadInputException.class)
                .hasMessage("PT file " + file + ": record 1 (byte offset " + first.length
                        + ") is corrupt: length prefix is not a varint of at most 5 bytes");
    }

    @Test
    void shouldNameAMissingFile() {
        Path file = temp.resolve("missing.pb");

        assertThatThrownBy(() -> PseudoTargetFile.readAll(file))
                .isInstanceOf(BadInputException.class)
                .hasMessage("PT file " + file + ": not found (or not a regular file)");
    }

    private static byte[] framed(PseudoTarget... targets) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (PseudoTarget target : targets) {
            target.writeDelimitedTo(out);
        }
        return out.toByteArray();
    }
}
