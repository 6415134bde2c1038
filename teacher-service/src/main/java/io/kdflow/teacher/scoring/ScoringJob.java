package io.kdflow.teacher.scoring;

import io.kdflow.core.job.JobSettings;
import io.kdflow.core.wire.proto.CheckpointEvent;

/**
 * What scoring a job's student samples needs: the job's settings (top-k, quantization, token limits) and its
 * teacher-ready event (the teacher's store URI).
 */
public record ScoringJob(JobSettings settings, CheckpointEvent teacher) {}
