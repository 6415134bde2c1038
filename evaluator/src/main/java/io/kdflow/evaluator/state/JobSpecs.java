package io.kdflow.evaluator.state;

import io.kdflow.core.wire.proto.JobSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The latest JobSpec of every job seen on {@code kdflow.jobs.v1}. */
@ApplicationScoped
public class JobSpecs {

    private final Map<String, JobSpec> jobs = new ConcurrentHashMap<>();

    public void put(JobSpec job) {
        jobs.put(job.getHeader().getJobId(), job);
    }

    public Optional<JobSpec> get(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }
}
