/**
 * Job settings: a job file (YAML, docs/jobs.md) reads into a {@code JobSpec} ({@link io.kdflow.core.job.JobFile},
 * strict schema, messages naming file, key path, value and what is allowed), the control-plane record of
 * {@code kdflow.jobs.v1}; a {@code JobSpec} plus a service's defaults and limits resolve to each role's typed,
 * validated settings ({@link io.kdflow.core.job.JobSettings}): task, teacher, student, objective, pseudo-targets,
 * Joint-Teaching, the optimization of every phase. Every service and the CLI resolve the same way, so a job
 * trains and samples the same wherever it runs.
 */
package io.kdflow.core.job;
