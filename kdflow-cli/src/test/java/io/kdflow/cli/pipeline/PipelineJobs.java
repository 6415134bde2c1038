package io.kdflow.cli.pipeline;

import io.kdflow.core.job.JobFile;
import io.kdflow.core.wire.proto.JobSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A small job file over small task files in a test's folder, read with {@link JobFile} as the CLI reads it. */
final class PipelineJobs {

    static final List<String> TRAIN = List.of(
            "{\"id\": \"t0\", \"source\": \"good morrow\", \"target\": \"good morning\"}",
            "{\"id\": \"t1\", \"source\": \"thou art\", \"target\": \"you are\"}",
            "{\"id\": \"t2\", \"source\": \"wherefore\", \"target\": \"why\"}");
    static final List<String> UNLABELED = List.of(
            "{\"id\": \"a\", \"source\": \"hark\"}",
            "{\"source\": \"anon\"}",
            "{\"id\": \"c\", \"source\": \"prithee\"}");
    static final List<String> DEV = List.of("{\"id\": \"d0\", \"source\": \"ay\", \"target\": \"yes\"}");

    private PipelineJobs() {}

    /** The job {@code name} with {@code extra} YAML appended (e.g. a pseudo_targets section). */
    static JobSpec job(Path folder, String name, String extra) {
        try {
            Files.write(folder.resolve("train.jsonl"), TRAIN);
            Files.write(folder.resolve("unlabeled.jsonl"), UNLABELED);
            Files.write(folder.resolve("dev.jsonl"), DEV);
            Files.write(folder.resolve("test.jsonl"), DEV);
            Path file = folder.resolve(name + ".yaml");
            Files.writeString(file, """
                    name: %s
                    seed: 7
                    output: runs
                    task:
                      name: tiny
                      train: train.jsonl
                      dev: dev.jsonl
                      test: test.jsonl
                      unlabeled: unlabeled.jsonl
                      train_size: 2
                    """.formatted(name) + extra);
            return JobFile.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
