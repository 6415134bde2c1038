package io.kdflow.evaluator.state;

import io.kdflow.core.wire.proto.JobSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The latest JobSpec of every job seen on {@code kdflow.jobs.v1}. */
@ApplicationScoped
public class JobSpecs {

    private final Map<String, JobSpec> jobs = new HashMap<>();

    public synchronized void put(JobSpec job) {
        jobs.put(job.getHeader().getJobId(), job);
        notifyAll();
    }

    public synchronized Optional<JobSpec> get(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    /**
     * The job's spec, waiting up to {@code wait} for it: Kafka orders nothing across topics, so a checkpoint event
     * (a teacher-ready one comes right after its spec) may be consumed before the spec on the jobs topic.
     */
    public synchronized Optional<JobSpec> await(String jobId, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!jobs.containsKey(jobId)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return get(jobId);
    }
}
