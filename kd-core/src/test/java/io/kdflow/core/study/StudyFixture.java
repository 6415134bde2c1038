package io.kdflow.core.study;

import io.kdflow.core.local.TinyJob;
import io.kdflow.core.testing.HfTiny;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A study task file on real files: TinyJob's Shakespeare cut and bart-tiny teacher, gpt2-tiny's config for S1. */
final class StudyFixture {

    private StudyFixture() {}

    /** Writes the data, the models and {@code task.yaml} into {@code folder}; returns the task file. */
    static Path taskFile(Path folder) {
        TinyJob.prepare(folder);
        HfTiny.copyModel(HfTiny.GPT2, folder);
        String yaml = """
                name: tiny-study
                seed: 7
                threads: 1
                task:
                  name: tiny
                  train: train.jsonl
                  dev: dev.jsonl
                  test: test.jsonl
                  unlabeled: unlabeled.jsonl
                  max_source_tokens: 16
                  max_target_tokens: 12
                teacher:
                  source: pretrained
                  dir: bart-tiny
                evaluation:
                  measure_latency: false
                study:
                  encoder_decoder_config: bart-tiny/config.json
                  decoder_only_config: gpt2-tiny/config.json
                  decoder_only_prompt: "{source} =>"
                """;
        try {
            Path file = folder.resolve("task.yaml");
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
