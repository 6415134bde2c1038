package io.kdflow.sampler.sampling;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobLimits;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.job.SamplingSettings;
import io.kdflow.core.job.TrainingSettings;
import io.kdflow.core.wire.proto.JobSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of every job seen on {@code kdflow.jobs.v1}, and the examples that arrived before their job's
 * spec (Kafka orders nothing across topics). At most {@code maxHeld} examples wait in memory, all jobs
 * together; one more is rejected, so memory stays bounded when a spec never comes. Safe for the two consumer
 * threads (specs and examples).
 *
 * @param <T> what is held for an example (the example and what acknowledges its record)
 */
public final class SamplerJobs<T> {

    private final JobLimits limits;
    private final int maxHeld;
    private final Map<String, JobSettings> settings = new HashMap<>();
    private final Map<String, List<T>> held = new LinkedHashMap<>();
    private int heldCount;

    public SamplerJobs(JobLimits limits, int maxHeld) {
        if (maxHeld < 0) {
            throw new IllegalArgumentException("maxHeld must be >= 0, got " + maxHeld);
        }
        this.limits = limits;
        this.maxHeld = maxHeld;
    }

    /** A job's settings and the examples that waited for them, in arrival order. */
    public record Released<T>(JobSettings settings, List<T> examples) {}

    /**
     * Records the job's settings (the latest spec wins) and releases the examples that waited for it.
     *
     * @throws BadInputException naming the JobSpec field of an invalid setting
     */
    public synchronized Released<T> acceptSpec(JobSpec spec) {
        JobSettings resolved = JobSettings.resolve(spec, TrainingSettings.DEFAULTS, SamplingSettings.DEFAULTS, limits);
        settings.put(resolved.jobId(), resolved);
        List<T> released = held.remove(resolved.jobId());
        if (released == null) {
            return new Released<>(resolved, List.of());
        }
        heldCount -= released.size();
        return new Released<>(resolved, released);
    }

    /**
     * The settings of job {@code jobId}; empty when its spec is unknown and {@code example} is held.
     *
     * @throws BadInputException when the spec is unknown and {@code maxHeld} examples already wait
     */
    public synchronized Optional<JobSettings> accept(String jobId, T example) {
        JobSettings known = settings.get(jobId);
        if (known != null) {
            return Optional.of(known);
        }
        if (heldCount >= maxHeld) {
            throw new BadInputException("no JobSpec of job " + jobId + " on kdflow.jobs.v1 yet, and " + heldCount
                    + " examples already wait for theirs (sampler.max-held-examples=" + maxHeld + ")");
        }
        held.computeIfAbsent(jobId, id -> new ArrayList<>()).add(example);
        heldCount++;
        return Optional.empty();
    }

    /** The settings of job {@code jobId}, when its spec arrived. */
    public synchronized Optional<JobSettings> settings(String jobId) {
        return Optional.ofNullable(settings.get(jobId));
    }

    /** Examples waiting for their job's spec, all jobs together. */
    public synchronized int heldCount() {
        return heldCount;
    }
}
