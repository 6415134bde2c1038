package io.kdflow.teacher.scoring;

import java.time.Duration;

/**
 * Where the scorer learns a job's settings and teacher. {@link TeacherCatalog} reads them from the jobs and
 * checkpoints topics itself; a service that already tracks jobs can provide its own.
 */
public interface ScoringJobs {

    /**
     * The job's settings and teacher, waiting at most {@code wait} for records not read yet.
     *
     * @throws io.kdflow.service.RejectedRecordException when the job is unknown, its JobSpec invalid, or its
     *     teacher not ready after the wait
     */
    ScoringJob await(String jobId, Duration wait);
}
