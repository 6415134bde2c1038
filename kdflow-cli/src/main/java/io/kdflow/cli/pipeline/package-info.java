/**
 * {@code ./kdflow run} and {@code ./kdflow demo}: a job file through the streaming pipeline. {@link
 * io.kdflow.cli.pipeline.PipelineRun} starts the embedded broker and the four services as processes ({@code
 * LocalCluster}, {@code ServiceConfig}) unless given a cluster, submits the JobSpec and the sampler's inputs
 * ({@code JobSubmission}), follows the job's records ({@code JobFollower} into {@code JobProgress}), prints the
 * final comparison ({@code FinalComparison}) and writes the report with {@link io.kdflow.cli.report}.
 */
package io.kdflow.cli.pipeline;
