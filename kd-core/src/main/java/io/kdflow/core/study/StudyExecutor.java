package io.kdflow.core.study;

import java.nio.file.Path;

/** Runs one study job into its directory, leaving {@code results.json} there (or resuming what is there). */
@FunctionalInterface
public interface StudyExecutor {

    void run(PlannedRun run, Path runDir);
}
