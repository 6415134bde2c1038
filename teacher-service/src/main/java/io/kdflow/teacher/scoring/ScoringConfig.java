package io.kdflow.teacher.scoring;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** Settings of the Joint-Teaching scorer ({@code scoring.*}). */
@ConfigMapping(prefix = "scoring")
public interface ScoringConfig {

    /** Root of the shared model store the teacher-ready events' URIs point into. Defaults to {@code model-store}. */
    @WithDefault("model-store")
    Path modelStore();

    /**
     * How long a sample of a job this service has not seen yet waits for the job's JobSpec and teacher-ready event
     * to be read before it is dead-lettered as unknown. Defaults to {@code 30s}.
     */
    @WithDefault("30s")
    Duration jobWait();

    /** Teachers kept loaded at once (the least recently used one is closed). Defaults to {@code 2}. */
    @WithDefault("2")
    int loadedTeachers();

    /** Samples of one job scored in one teacher pass (the poll batch is cut into chunks of it). Defaults to {@code 16}. */
    @WithDefault("16")
    int batchSize();
}
