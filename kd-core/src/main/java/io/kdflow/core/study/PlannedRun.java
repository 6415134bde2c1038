package io.kdflow.core.study;

import io.kdflow.core.wire.proto.JobSpec;

/**
 * One run of a study: a stage's option as the exact job it is.
 *
 * @param yaml the job file text the spec was read from (written next to the report)
 * @param hash {@code JobFile.hash} of the spec: the run's key, shared by every stage option that is the same job
 */
public record PlannedRun(Stage stage, StageOption option, JobSpec spec, String yaml, String hash) {

    /** {@code S3/logit_kd}. */
    public String label() {
        return stage.name() + "/" + option.id();
    }

    /** The run's directory name: the first 16 hex digits of its hash. */
    public String key() {
        return hash.substring(0, 16);
    }
}
