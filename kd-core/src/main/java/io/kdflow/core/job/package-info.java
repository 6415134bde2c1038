/**
 * Job settings: a {@code JobSpec} (the control-plane record of {@code kdflow.jobs.v1}) plus a service's
 * defaults and limits resolve to each role's typed, validated settings ({@link io.kdflow.core.job.JobSettings}).
 * Every service and the CLI resolve the same way, so a job trains and samples the same wherever it runs.
 */
package io.kdflow.core.job;
