package io.kdflow.core.study;

import io.kdflow.core.error.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The study's runs, one directory per job key under {@code studies/<task>/runs/}: {@code job.yaml} (the exact
 * job), the run's phases and, once it finished, {@code results.json}. A run whose {@code results.json} carries
 * its hash is finished and is reused; any other directory is a run to start or to resume (the local runner
 * resumes from its phase markers and checkpoints).
 */
public final class RunStore {

    static final String RESULTS = "results.json";
    static final String JOB = "job.yaml";

    private final Path root;

    public RunStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path dir(PlannedRun run) {
        return root.resolve(run.key());
    }

    /** The run's results when it finished before; empty when it has not (or its results are of another job). */
    public Optional<RunOutcome> finished(PlannedRun run) {
        Path results = dir(run).resolve(RESULTS);
        if (!Files.isRegularFile(results)) {
            return Optional.empty();
        }
        RunOutcome outcome = RunOutcome.read(results);
        if (!outcome.jobHash().equals(run.hash())) {
            throw new BadInputException(results + ": holds the results of job " + outcome.jobHash()
                    + ", not of " + run.label() + " (" + run.hash() + "); move the directory away to rerun it");
        }
        return Optional.of(outcome);
    }

    /** Writes the run's job file into its directory (before it starts, so a resumed run shows what it is). */
    public void writeJob(PlannedRun run, String header) {
        Path file = dir(run).resolve(JOB);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, header + run.yaml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
