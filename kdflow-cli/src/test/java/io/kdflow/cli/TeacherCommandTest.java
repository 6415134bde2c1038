package io.kdflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kdflow teacher train} on a tiny recipe (set by options) and tiny data: trains once, then reuses. */
class TeacherCommandTest {

    private static final String[] TINY = {"--set", "vocab_size=300", "--set", "d_model=32", "--set", "heads=2",
        "--set", "encoder_layers=1", "--set", "decoder_layers=1", "--set", "ffn_dim=64", "--set", "max_tokens=16",
        "--set", "denoising_max_source_tokens=16", "--set", "denoising_max_target_tokens=16", "--set",
        "denoising_epochs=1", "--set", "fine_tune_epochs=1", "--set", "dev_examples=4", "--set", "dev_beams=1",
        "--set", "warmup_steps=2", "--threads", "1"};

    @TempDir
    Path dir;

    @Test
    void shouldTrainATeacherOnceAndReuseItFromTheCache() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.write(data.resolve("train.jsonl"), lines(40, true));
        Files.write(data.resolve("dev.jsonl"), lines(6, true));
        Files.write(data.resolve("unlabeled.jsonl"), lines(20, false));
        List<String> args = new ArrayList<>(List.of("teacher", "train", "--data", data.toString(), "--cache",
                dir.resolve("cache").toString(), "--commit", "0123abc"));
        args.addAll(List.of(TINY));

        CommandRun first = CommandRun.of(args.toArray(String[]::new));
        CommandRun second = CommandRun.of(args.toArray(String[]::new));

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("denoising pre-training on 100 texts for 1 epoch(s)")
                .contains("fine-tuning on 40 pairs for 1 epoch(s)").contains("dev after epoch 1: BLEU")
                .contains("trained teacher " + dir.resolve("cache"));
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).startsWith("reused teacher " + dir.resolve("cache")).doesNotContain("fine-tuning");
        Path entry = Path.of(second.out().lines().findFirst().orElseThrow().substring("reused teacher ".length()));
        assertThat(Files.readString(entry.resolve("teacher.json"))).contains("\"git_commit\" : \"0123abc\"");
    }

    @Test
    void shouldTrainTheTeacherAJobFileDescribesAndPublishItForOtherJobs() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.write(data.resolve("train.jsonl"), lines(40, true));
        Files.write(data.resolve("dev.jsonl"), lines(6, true));
        Files.write(data.resolve("unlabeled.jsonl"), lines(20, false));
        Path job = dir.resolve("tiny-teacher.yaml");
        Files.writeString(job, """
                seed: 5
                output: runs
                task:
                  train: data/train.jsonl
                  dev: data/dev.jsonl
                  unlabeled: data/unlabeled.jsonl
                  max_source_tokens: 16
                  max_target_tokens: 16
                teacher:
                  source: train
                  tokenizer:
                    vocab_size: 300
                  shape:
                    d_model: 32
                    attention_heads: 2
                    encoder_layers: 1
                    decoder_layers: 1
                    ffn_dim: 64
                    max_position_embeddings: 32
                  pretraining:
                    epochs: 1
                    batch_size: 8
                  fine_tuning:
                    epochs: 1
                    batch_size: 8
                    warmup_steps: 2
                evaluation:
                  num_beams: 1
                """);
        String[] args = {"teacher", "train", "--job", job.toString(), "--cache", dir.resolve("cache").toString(),
            "--threads", "1", "--commit", "0123abc"};

        CommandRun first = CommandRun.of(args);
        CommandRun second = CommandRun.of(args);

        Path published = dir.resolve("runs/tiny-teacher/teacher");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("teacher: denoising pre-training on 100 texts for 1 epoch(s)")
                .contains("teacher: fine-tuning on 40 pairs for 1 epoch(s)").contains("(trained)")
                .endsWith("teacher " + published + System.lineSeparator());
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("(reused from the cache)").doesNotContain("fine-tuning on");
        String provenance = Files.readString(published.resolve("teacher.json"));
        assertThat(provenance).contains("\"vocab_size\" : 300").contains("\"d_model\" : 32")
                .contains("\"seed\" : 5").contains("\"git_commit\" : \"0123abc\"");
        assertThat(published.resolve("model.safetensors")).isRegularFile();
        assertThat(published.resolve("tokenizer.json")).isRegularFile();
    }

    @Test
    void shouldRejectAnUnknownSetting() {
        CommandRun run = CommandRun.of("teacher", "train", "--data", dir.toString(), "--set", "depth=3");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("teacher option depth: unknown; known options are [vocab_size, d_model,");
    }

    private static List<String> lines(int count, boolean withTarget) {
        String[] words = {"thou", "art", "good", "my", "lord", "you", "are", "sir"};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String text = words[i % 8] + " " + words[(i / 8) % 8] + " " + words[(i * 3) % 8];
            lines.add("{\"id\":\"" + (withTarget ? "p" : "u") + i + "\",\"source\":\"" + text + "\""
                    + (withTarget ? ",\"target\":\"" + text + "\"" : "") + "}");
        }
        return lines;
    }
}
