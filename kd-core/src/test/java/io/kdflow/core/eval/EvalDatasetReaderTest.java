package io.kdflow.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.error.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evaluation files: the bundled format, limits, and messages that name file, line and field. */
class EvalDatasetReaderTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadReferencesOrTargetsUpToTheLimit() throws IOException {
        Path file = Files.writeString(dir.resolve("dev.jsonl"), """
                {"id": "a", "source": "s1", "target": "t1", "references": ["r1", "r1b"]}

                {"id": 7, "source": "s2", "target": "t2"}
                {"id": "c", "source": "s3", "references": ["r3"]}
                """);

        assertThat(EvalDatasetReader.read(file, 2)).containsExactly(
                new EvalExample("a", "s1", List.of("r1", "r1b")), new EvalExample("7", "s2", List.of("t2")));
    }

    @Test
    void shouldReadTheBundledShakespeareDevSet() {
        List<EvalExample> examples = EvalDatasetReader.read(Path.of("../data/shakespeare/dev.jsonl"), 5);
        assertThat(examples).hasSize(5).allSatisfy(e -> assertThat(e.references()).isNotEmpty());
    }

    @Test
    void shouldNameFileLineAndFieldOfBadInput() throws IOException {
        assertThatThrownBy(() -> EvalDatasetReader.read(write("{\"id\": \"a\", \"source\": 3, \"target\": \"t\"}"), 9))
                .hasMessageEndingWith("bad.jsonl line 1, field \"source\": expected a string");
        assertThatThrownBy(() -> EvalDatasetReader.read(write("{\"id\": \"a\", \"source\": \"s\", \"references\": []}"), 9))
                .hasMessageContaining("line 1, field \"references\": expected a non-empty array of strings");
        assertThatThrownBy(() -> EvalDatasetReader.read(write("{\"id\": \"a\", \"source\": \"s\", \"target\": \"t\"}\n"
                + "{\"id\": \"a\", \"source\": \"s\", \"target\": \"t\"}"), 9))
                .hasMessageContaining("line 2, field \"id\": duplicate id \"a\"");
        assertThatThrownBy(() -> EvalDatasetReader.read(write("{oops"), 9)).hasMessageContaining("line 1: not valid JSON");
        assertThatThrownBy(() -> EvalDatasetReader.read(dir.resolve("missing.jsonl"), 9))
                .hasMessageContaining("missing.jsonl: no such evaluation file");
        assertThatThrownBy(() -> EvalDatasetReader.read(write("\n\n"), 9)).hasMessageContaining("bad.jsonl: no examples");
    }

    @Test
    void shouldNameFileLineAndFieldOfAnEmptyOrOverLongText() throws IOException {
        assertThatThrownBy(() -> EvalDatasetReader.read(write("{\"id\": \"a\", \"source\": \"s\", \"target\": \"t\"}\n"
                + "{\"id\": \"b\", \"source\": \" \", \"target\": \"t\"}"), 9))
                .isInstanceOf(BadInputException.class).hasMessageEndingWith("bad.jsonl line 2, field \"source\": empty"
                        + " (an example needs a source and, when labeled, a target text)");
        assertThatThrownBy(() -> EvalDatasetReader.read(write("{\"id\": \"a\", \"source\": \"s\", \"target\": \"\"}"), 9))
                .hasMessageContaining("bad.jsonl line 1, field \"target\": empty");
        assertThatThrownBy(() -> EvalDatasetReader.read(write("{\"id\": \"a\", \"source\": \"s\", \"references\": [\"r\", \""
                + "x".repeat(ExampleTexts.MAX_CHARS + 1) + "\"]}"), 9))
                .hasMessageEndingWith("bad.jsonl line 1, field \"references[1]\": 100001 characters is too long (at most"
                        + " 100000)");
        assertThatThrownBy(() -> EvalDatasetReader.read(write("{\"id\": \"a\", \"source\": \""
                + "x".repeat(ExampleTexts.MAX_CHARS + 1) + "\", \"target\": \"t\"}"), 9))
                .hasMessageEndingWith("bad.jsonl line 1, field \"source\": 100001 characters is too long (at most 100000)");
    }

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("bad.jsonl"), content);
    }
}
