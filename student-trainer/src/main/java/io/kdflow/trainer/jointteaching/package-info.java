/**
 * Remote Joint-Teaching (docs/method.md, "Joint-Teaching"; JobSpec {@code training.joint_teaching: REMOTE}): the
 * student's samples go to teacher-service as {@code StudentSample} records and the step waits for its
 * {@code StudentScores} ({@link io.kdflow.trainer.jointteaching.RemoteStudentScorer}, kd-core's
 * {@link io.kdflow.core.train.objective.StudentSampleScorer}), so the trainer holds no teacher.
 */
package io.kdflow.trainer.jointteaching;
