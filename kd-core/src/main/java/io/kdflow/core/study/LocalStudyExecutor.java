package io.kdflow.core.study;

import io.kdflow.core.local.LocalDistillation;
import io.kdflow.core.local.LocalOptions;
import io.kdflow.core.local.LocalProgress;
import java.nio.file.Path;

/** Runs a study job in this process with {@code distill --local}'s runner, sharing its cache of teachers, PTs and baselines. */
public final class LocalStudyExecutor implements StudyExecutor {

    private final LocalOptions options;
    private final LocalProgress progress;

    /** @param options the cache and latency settings; the run directory is the study's */
    public LocalStudyExecutor(LocalOptions options, LocalProgress progress) {
        this.options = options;
        this.progress = progress;
    }

    @Override
    public void run(PlannedRun run, Path runDir) {
        new LocalDistillation(run.spec(), options.withRunDir(runDir), progress).run();
    }
}
