package io.kdflow.core.wire;

import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.Split;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Kafka topic names and record keys of schema version 1: the single source of truth for services, the CLI
 * and the deployment manifests. Names are {@code kdflow.<entity>.v<N>} with dots only (Kafka warns that
 * '.' and '_' collide in metric names).
 *
 * <p>Keys that start with the job id use '/' as separator, so a job id never contains '/'; example ids may.
 * Roles and splits appear in keys as their proto enum names in lower case ({@code student_baseline},
 * {@code dev}).
 */
public final class Topics {

    /** {@code JobSpec}, compacted, key = job id. */
    public static final String JOBS = "kdflow.jobs.v1";
    /** {@code SourceExample}, key = {@code <job>/<example id>}. */
    public static final String EXAMPLES = "kdflow.examples.v1";
    /** {@code PseudoTarget}, key = {@code <job>/<example id>} (all PTs of an example share a partition). */
    public static final String PSEUDO_TARGETS = "kdflow.pseudo-targets.v1";
    /** {@code StudentSample}, key = request id. */
    public static final String STUDENT_SAMPLES = "kdflow.student-samples.v1";
    /** {@code StudentScores}, key = request id. */
    public static final String STUDENT_SCORES = "kdflow.student-scores.v1";
    /** {@code CheckpointEvent}, key = {@code <job>/<role>}. */
    public static final String CHECKPOINTS = "kdflow.checkpoints.v1";
    /** {@code EvalReport}, key = {@code <job>/<role>/<step>/<split>}. */
    public static final String EVAL_REPORTS = "kdflow.eval-reports.v1";
    /** {@code DeadLetter}, key = the rejected record's key. */
    public static final String DEAD_LETTERS = "kdflow.dead-letters.v1";

    private static final List<String> ALL = List.of(
            JOBS, EXAMPLES, PSEUDO_TARGETS, STUDENT_SAMPLES, STUDENT_SCORES, CHECKPOINTS, EVAL_REPORTS, DEAD_LETTERS);

    /** Topics whose keys start with {@code <job>/} (or are the job id itself). */
    private static final List<String> JOB_KEYED = List.of(JOBS, EXAMPLES, PSEUDO_TARGETS, CHECKPOINTS, EVAL_REPORTS);

    private static final char SEPARATOR = '/';

    private Topics() {
    }

    /** Every kdflow.v1 topic, in data-flow order. */
    public static List<String> all() {
        return ALL;
    }

    /** Key of a {@code JobSpec} on {@link #JOBS}. */
    public static String jobKey(String jobId) {
        return requireJobId(jobId);
    }

    /** Key of a {@code SourceExample} or {@code PseudoTarget}: {@code <job>/<example id>}. */
    public static String exampleKey(String jobId, String exampleId) {
        return requireJobId(jobId) + SEPARATOR + requireNonEmpty(exampleId, "example id");
    }

    /** Key of a {@code StudentSample} or {@code StudentScores}: the request id. */
    public static String requestKey(String requestId) {
        return requireNonEmpty(requestId, "request id");
    }

    /** Key of a {@code CheckpointEvent}: {@code <job>/<role>}, e.g. {@code demo-1/student}. */
    public static String checkpointKey(String jobId, ModelRole role) {
        return requireJobId(jobId) + SEPARATOR + keyName(role);
    }

    /** Key of an {@code EvalReport}: {@code <job>/<role>/<step>/<split>}, e.g. {@code demo-1/student/1200/dev}. */
    public static String evalReportKey(String jobId, ModelRole role, long step, Split split) {
        return checkpointKey(jobId, role) + SEPARATOR + Long.toUnsignedString(step) + SEPARATOR + keyName(split);
    }

    /**
     * The job id a key on {@code topic} starts with, where that topic's keys carry one; empty for request-id
     * keys, dead letters, unknown topics and keys without a valid job part. Never contains '/'.
     */
    public static Optional<String> jobIdOfKey(String topic, String key) {
        if (key == null || key.isEmpty() || !JOB_KEYED.contains(topic)) {
            return Optional.empty();
        }
        int separator = key.indexOf(SEPARATOR);
        if (JOBS.equals(topic)) {
            return separator < 0 ? Optional.of(key) : Optional.empty();
        }
        return separator > 0 ? Optional.of(key.substring(0, separator)) : Optional.empty();
    }

    /** How a role appears in keys: the enum name in lower case. */
    public static String keyName(ModelRole role) {
        if (role == ModelRole.ROLE_UNSPECIFIED || role == ModelRole.UNRECOGNIZED) {
            throw new IllegalArgumentException("model role must be TEACHER, STUDENT or STUDENT_BASELINE, got " + role);
        }
        return role.name().toLowerCase(Locale.ROOT);
    }

    /** How a split appears in keys: the enum name in lower case. */
    public static String keyName(Split split) {
        if (split == Split.SPLIT_UNSPECIFIED || split == Split.UNRECOGNIZED) {
            throw new IllegalArgumentException("split must be TRAIN, DEV, TEST or UNLABELED, got " + split);
        }
        return split.name().toLowerCase(Locale.ROOT);
    }

    private static String requireJobId(String jobId) {
        requireNonEmpty(jobId, "job id");
        if (jobId.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("job id must not contain '/', got \"" + jobId + "\"");
        }
        return jobId;
    }

    private static String requireNonEmpty(String id, String what) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return id;
    }
}
