package io.kdflow.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.TeacherSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The teacher step of the streaming services: a pretrained directory used in the store, or copied there once. */
class StreamingStepsTest {

    @TempDir
    Path temp;

    @Test
    void shouldCopyAPretrainedTeacherOutsideTheStoreOnceUnderItsContentKey() throws Exception {
        Path outside = HfTiny.copyModel(HfTiny.BART, temp.resolve("outside"));
        Path store = new ModelStore(temp.resolve("store")).root();
        List<String> notes = new ArrayList<>();
        LocalProgress progress = new LocalProgress() {
            @Override
            public void onProgress(Update update) { }

            @Override
            public void onNote(String message) {
                notes.add(message);
            }
        };

        Path first = StreamingSteps.teacherInStore(spec(outside), store, progress);
        Path second = StreamingSteps.teacherInStore(spec(outside), store, progress);

        String key = StreamingSteps.teacherKey(outside);
        assertThat(first).isEqualTo(store.resolve("teachers").resolve(key)).isEqualTo(second);
        assertThat(StreamingSteps.teacherKey(first)).isEqualTo(key);
        assertThat(notes).anyMatch(n -> n.startsWith("teacher: copied ")).anyMatch(n -> n.contains("already copied"));
        try (Stream<Path> entries = Files.list(store.resolve("teachers"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly(key);
        }
    }

    @Test
    void shouldNotTrustAHalfWrittenCopyThatACrashLeft() throws Exception {
        Path outside = HfTiny.copyModel(HfTiny.BART, temp.resolve("outside"));
        Path store = new ModelStore(temp.resolve("store")).root();
        String key = StreamingSteps.teacherKey(outside);
        Path teachers = store.resolve("teachers");
        Path copy = StreamingSteps.teacherInStore(spec(outside), store, LocalProgress.NONE);
        byte[] weights = Files.readAllBytes(outside.resolve("model.safetensors"));

        // killed while a (non-atomic) writer filled the directory: the weights cut short, a temporary copy left
        Files.write(copy.resolve("model.safetensors"), java.util.Arrays.copyOf(weights, weights.length / 2));
        Path leftover = Files.createDirectories(teachers.resolve(".copy-" + key.substring(0, 12) + "-crashed"));
        Files.write(leftover.resolve("model.safetensors"), java.util.Arrays.copyOf(weights, 100));
        Path again = StreamingSteps.teacherInStore(spec(outside), store, LocalProgress.NONE);
        assertThat(again).isEqualTo(copy);
        assertThat(StreamingSteps.teacherKey(again)).isEqualTo(key);
        assertThat(Files.readAllBytes(again.resolve("model.safetensors"))).isEqualTo(weights);

        // killed between the two moves of the replace: the old copy aside, no directory under the key
        Files.move(copy, teachers.resolve(key + ".old"));
        Path third = StreamingSteps.teacherInStore(spec(outside), store, LocalProgress.NONE);
        assertThat(StreamingSteps.teacherKey(third)).isEqualTo(key);
        assertThat(third).isEqualTo(copy);
    }

    @Test
    void shouldUseAPretrainedTeacherInsideTheStoreAsIs() {
        Path store = new ModelStore(temp.resolve("store")).root();
        Path inside = HfTiny.copyModel(HfTiny.BART, store.resolve("mine"));

        assertThat(StreamingSteps.teacherInStore(spec(inside), store, LocalProgress.NONE)).isEqualTo(inside);
    }

    @Test
    void shouldNameTheMissingTeacherSection() {
        JobSpec noTeacher = JobSpec.newBuilder().setHeader(RecordHeader.newBuilder().setSchemaVersion(1).setJobId("j"))
                .build();

        assertThatThrownBy(() -> StreamingSteps.teacherInStore(noTeacher, temp, LocalProgress.NONE))
                .isInstanceOf(BadInputException.class).hasMessageStartingWith("JobSpec.teacher: missing");
    }

    private static JobSpec spec(Path teacher) {
        return JobSpec.newBuilder().setHeader(RecordHeader.newBuilder().setSchemaVersion(1).setJobId("j"))
                .setTeacher(TeacherSpec.newBuilder().setSource(TeacherSpec.Source.PRETRAINED)
                        .setDir(teacher.toString()))
                .build();
    }
}
