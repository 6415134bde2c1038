package io.kdflow.cli.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.cli.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad input ends as one exact line on stderr, naming file, line and field, and exit code 2. */
class MetricsInputErrorTest {

    private static final String GOOD_A = "{\"id\": \"a\", \"prediction\": \"x\"}";
    private static final String GOOD_A_REF = "{\"id\": \"a\", \"target\": \"x\"}";

    @TempDir
    Path dir;

    /** Predictions text, references text, expected message with {P} and {R} for the two file names. */
    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("malformed JSON", GOOD_A + "\n{\"id\": \"b\", \"prediction\": }\n", GOOD_A_REF,
                        "{P} line 2: not valid JSON (Unexpected character ('}' (code 125)): expected a valid value"
                                + " (JSON String, Number, Array, Object or token 'null', 'true' or 'false'))"),
                Arguments.of("trailing text after the object", GOOD_A + " x\n", GOOD_A_REF,
                        "{P} line 1: not valid JSON (Unrecognized token 'x': was expecting"
                                + " (JSON String, Number, Array, Object or token 'null', 'true' or 'false'))"),
                Arguments.of("a line that is not an object", "[\"a\", \"x\"]\n", GOOD_A_REF,
                        "{P} line 1: expected a JSON object, got an array"),
                Arguments.of("a number where a string belongs", "{\"id\": \"a\", \"prediction\": 1.5}\n", GOOD_A_REF,
                        "{P} line 1, field \"prediction\": expected a string, got a number"),
                Arguments.of("a null prediction", "{\"id\": \"a\", \"prediction\": null}\n", GOOD_A_REF,
                        "{P} line 1, field \"prediction\": expected a string, got null"),
                Arguments.of("a number inside generate predictions", "{\"id\": \"a\", \"predictions\": [\"x\", 2]}\n",
                        GOOD_A_REF, "{P} line 1, field \"predictions[1]\": expected a string, got a number"),
                Arguments.of("empty generate predictions", "{\"id\": \"a\", \"predictions\": []}\n", GOOD_A_REF,
                        "{P} line 1, field \"predictions\": expected a non-empty array of strings,"
                                + " got an empty array"),
                Arguments.of("no prediction field", "{\"id\": \"a\", \"text\": \"x\"}\n", GOOD_A_REF,
                        "{P} line 1: missing field \"prediction\" (or \"predictions\")"),
                Arguments.of("no id", "{\"prediction\": \"x\"}\n", GOOD_A_REF, "{P} line 1: missing field \"id\""),
                Arguments.of("a boolean id", "{\"id\": true, \"prediction\": \"x\"}\n", GOOD_A_REF,
                        "{P} line 1, field \"id\": expected a string or an integer, got a boolean"),
                Arguments.of("an empty id", "{\"id\": \"\", \"prediction\": \"x\"}\n", GOOD_A_REF,
                        "{P} line 1, field \"id\": expected a non-empty id, got an empty string"),
                Arguments.of("a duplicate id", GOOD_A + "\n{\"id\": \"b\", \"prediction\": \"y\"}\n" + GOOD_A + "\n",
                        GOOD_A_REF, "{P} line 3, field \"id\": duplicate id \"a\" (first on line 1)"),
                Arguments.of("a duplicate key in one object", "{\"id\": \"a\", \"prediction\": \"x\", \"id\": \"b\"}\n",
                        GOOD_A_REF, "{P} line 1: not valid JSON (Duplicate field 'id')"),
                Arguments.of("a references string", GOOD_A, "{\"id\": \"a\", \"references\": \"x\"}\n",
                        "{R} line 1, field \"references\": expected a non-empty array of strings, got a string"),
                Arguments.of("a target array", GOOD_A, "{\"id\": \"a\", \"target\": [\"x\"]}\n",
                        "{R} line 1, field \"target\": expected a string, got an array"),
                Arguments.of("no reference field", GOOD_A, "{\"id\": \"a\", \"source\": \"x\"}\n",
                        "{R} line 1: missing field \"references\" (or \"target\")"),
                Arguments.of("a prediction without reference", GOOD_A + "\n{\"id\": \"b\", \"prediction\": \"y\"}\n",
                        GOOD_A_REF, "{P} line 2, field \"id\": id \"b\" has no reference in {R}"),
                Arguments.of("a reference without prediction", GOOD_A,
                        GOOD_A_REF + "\n\n{\"id\": \"c\", \"target\": \"y\"}\n",
                        "{R} line 3, field \"id\": id \"c\" has no prediction in {P}"),
                Arguments.of("an empty predictions file", "", GOOD_A_REF,
                        "{P}: empty file, expected one JSON object per line"),
                Arguments.of("a references file of blank lines", GOOD_A, "\n  \n\n",
                        "{R}: empty file, expected one JSON object per line"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void shouldNameFileLineAndFieldWhenInputIsBad(String kind, String predictionsText, String referencesText,
            String expected) throws IOException {
        Path predictions = Files.writeString(dir.resolve("p.jsonl"), predictionsText);
        Path references = Files.writeString(dir.resolve("r.jsonl"), referencesText);

        CommandRun run = run(predictions, references);

        assertThat(run.err()).isEqualTo("kdflow metrics: "
                + expected.replace("{P}", predictions.toString()).replace("{R}", references.toString())
                + System.lineSeparator());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldNameAMissingFile() throws IOException {
        Path references = Files.writeString(dir.resolve("r.jsonl"), GOOD_A_REF);
        Path missing = dir.resolve("nope.jsonl");

        CommandRun run = run(missing, references);

        assertThat(run.err()).isEqualTo("kdflow metrics: " + missing + ": no such file" + System.lineSeparator());
        assertThat(run.exitCode()).isEqualTo(2);
    }

    @Test
    void shouldNameTheLineThatIsNotUtf8() throws IOException {
        Path predictions = dir.resolve("p.jsonl");
        byte[] latin1 = "{\"id\": \"b\", \"prediction\": \"caf\u00e9\"}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(predictions, (GOOD_A + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.write(predictions, latin1, java.nio.file.StandardOpenOption.APPEND);
        Path references = Files.writeString(dir.resolve("r.jsonl"), GOOD_A_REF);

        CommandRun run = run(predictions, references);

        assertThat(run.err()).isEqualTo("kdflow metrics: " + predictions + " line 2: not valid UTF-8"
                + System.lineSeparator());
        assertThat(run.exitCode()).isEqualTo(2);
    }

    @Test
    void shouldShowTheUsageWhenARequiredOptionIsMissing() throws IOException {
        Path predictions = Files.writeString(dir.resolve("p.jsonl"), GOOD_A);

        CommandRun run = CommandRun.of("metrics", "--predictions", predictions.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("Missing required option: '--references=R.jsonl'")
                .contains("Usage: kdflow metrics");
    }

    private static CommandRun run(Path predictions, Path references) {
        return CommandRun.of("metrics", "--predictions", predictions.toString(), "--references",
                references.toString());
    }
}
