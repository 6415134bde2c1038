package io.kdflow.core.job;

/**
 * Joint-Teaching ({@code JobSpec.training.joint_teaching}, {@code student_pt_fraction},
 * {@code max_staleness_steps}): on a fraction of the steps the targets are sampled on the fly from the current
 * student and scored by the teacher (docs/method.md). Fraction 0 is "only teacher", 1 "only student".
 *
 * @param mode off, teacher in the trainer's process, or teacher-service over Kafka
 * @param studentPtFraction fraction of the steps with student PTs, in [0, 1]
 * @param maxStalenessSteps remote mode: optimizer steps a teacher score may lag
 */
public record JointTeachingSettings(TrainingSettings.JointTeaching mode, double studentPtFraction,
        int maxStalenessSteps) {

    /** Off, fraction 0.5 (the paper's), no staleness. */
    public static final JointTeachingSettings DEFAULTS = new JointTeachingSettings(TrainingSettings.JointTeaching.OFF,
            0.5, 0);

    public JointTeachingSettings {
        if (!(studentPtFraction >= 0 && studentPtFraction <= 1) || maxStalenessSteps < 0) {
            throw new IllegalArgumentException("inconsistent Joint-Teaching settings: " + this);
        }
    }

    public boolean enabled() {
        return mode != TrainingSettings.JointTeaching.OFF;
    }
}
