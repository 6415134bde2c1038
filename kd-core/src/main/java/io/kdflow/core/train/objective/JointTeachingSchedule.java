package io.kdflow.core.train.objective;

/**
 * Which optimizer steps of Joint-Teaching train on the student's own samples: step s (0-based) is a student
 * step when {@code (s + 1) % round(1 / fraction) == 0}. Fraction 0.5 (the paper's) makes every second step
 * one; fraction 1 or more every step ("only student PTs"); fraction 0 none ("only teacher PTs").
 *
 * @param fraction share of the steps that use student samples, >= 0
 */
public record JointTeachingSchedule(double fraction) {

    public JointTeachingSchedule {
        if (!(fraction >= 0) || Double.isInfinite(fraction)) {
            throw new IllegalArgumentException("Joint-Teaching fraction must be finite and >= 0, got " + fraction);
        }
    }

    /** Every step a student step: "only student". */
    public static JointTeachingSchedule onlyStudent() {
        return new JointTeachingSchedule(1);
    }

    /** Never a student step: "only teacher". */
    public static JointTeachingSchedule onlyTeacher() {
        return new JointTeachingSchedule(0);
    }

    /** Steps between two student steps, 0 for never. */
    public long period() {
        if (fraction == 0) {
            return 0;
        }
        return fraction >= 1 ? 1 : Math.max(1, Math.round(1 / fraction));
    }

    public boolean studentStep(long step) {
        long period = period();
        return period > 0 && (step + 1) % period == 0;
    }
}
