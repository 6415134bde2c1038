package io.kdflow.core.local;

import io.kdflow.core.job.JobFile;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.wire.proto.JobSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny local distillation job on real files: bart-tiny as the PRETRAINED teacher, a handful of Shakespeare
 * pairs (train, dev, test and unlabeled inputs cut from the test resources), short sequences, greedy dev
 * decoding, no latency measurement. Public for the services' tests, which run the same job.
 */
public final class TinyJob {

    private TinyJob() {}

    /** Writes the data and teacher into {@code folder} and returns the folder. */
    public static Path prepare(Path folder) {
        try {
            Files.createDirectories(folder);
            HfTiny.copyModel(HfTiny.BART, folder);
            List<String> train = lines("tokenizer/shakespeare-train-300.jsonl");
            List<String> dev = lines("tokenizer/shakespeare-dev-40.jsonl");
            Files.write(folder.resolve("train.jsonl"), train.subList(0, 12), StandardCharsets.UTF_8);
            Files.write(folder.resolve("dev.jsonl"), dev.subList(0, 6), StandardCharsets.UTF_8);
            Files.write(folder.resolve("test.jsonl"), dev.subList(6, 10), StandardCharsets.UTF_8);
            List<String> unlabeled = new ArrayList<>();
            for (String line : train.subList(100, 104)) {
                unlabeled.add(line.replaceFirst(", \"target\": .*\\}$", "}"));
            }
            Files.write(folder.resolve("unlabeled.jsonl"), unlabeled, StandardCharsets.UTF_8);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The job's YAML with {@code extra} lines appended (sections the job does not set). */
    public static String yaml(String optimization, String extra) {
        return """
                name: tiny
                seed: 7
                threads: 1
                task:
                  train: train.jsonl
                  dev: dev.jsonl
                  test: test.jsonl
                  unlabeled: unlabeled.jsonl
                  max_source_tokens: 16
                  max_target_tokens: 12
                teacher:
                  source: pretrained
                  dir: bart-tiny
                student:
                  source: pruned_teacher
                  decoder_layers: [0, -1]
                objective:
                  type: logit_kd
                pseudo_targets:
                  k: 2
                  mode: sampling
                  unlabeled: true
                  distribution_top_k: 8
                  batch_size: 8
                optimization:
                """ + optimization.indent(2) + """
                baseline:
                  epochs: 1
                evaluation:
                  selection_metric: nll
                  num_beams: 1
                  batch_size: 8
                  measure_latency: false
                """ + extra;
    }

    /** Two KD epochs of 4-example batches, two dev evaluations per epoch, one final fine-tune epoch. */
    public static final String OPTIMIZATION = """
            epochs: 2
            batch_size: 4
            learning_rate: 1e-3
            warmup_steps: 2
            checkpoint_every_steps: 2
            final_finetune_epochs: 1
            """;

    public static JobSpec spec(Path folder, String yaml) {
        return JobFile.parse("tiny.yaml", yaml, folder, "tiny");
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = TinyJob.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
