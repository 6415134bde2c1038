package io.kdflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.tokenizer.HfTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldTrainATokenizerThatRoundTripsTheData() throws IOException {
        Path data = dir.resolve("train.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            lines.add("{\"id\":\"" + i + "\",\"source\":\"Thou art the villain number " + i
                    + ".\",\"target\":\"You are villain " + i + "!\"}");
        }
        lines.add("{\"id\":\"u1\",\"source\":\"An unlabeled line, with no target.\"}");
        Files.write(data, lines);
        Path output = dir.resolve("out/tokenizer.json");

        CommandRun run = CommandRun.of("tokenizer", "train", "--input", data.toString(), "--vocab-size", "300",
                "--output", output.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("wrote " + output + ": 300 tokens (300 requested, stopped: vocab_size_reached)")
                .contains("from 401 texts");
        try (HfTokenizer tokenizer = HfTokenizer.load(output)) {
            assertThat(tokenizer.vocabSize()).isEqualTo(300);
            long[] ids = tokenizer.encode("Thou art the villain number 7.");
            assertThat(ids[0]).isZero();
            assertThat(ids[ids.length - 1]).isEqualTo(2);
            assertThat(tokenizer.decode(ids, true)).isEqualTo("Thou art the villain number 7.");
        }
    }

    @Test
    void shouldNameTheFileAndLineOfALineWithoutText() throws IOException {
        Path data = dir.resolve("bad.jsonl");
        Files.writeString(data, "{\"id\":\"1\",\"source\":\"fine\"}\n{\"id\":\"2\",\"text\":\"wrong field\"}\n");

        CommandRun run = CommandRun.of("tokenizer", "train", "--input", data.toString(), "--vocab-size", "300",
                "--output", dir.resolve("t.json").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo(
                "kdflow tokenizer train: " + data + " line 2: missing field \"source\" or \"target\"");
    }
}
