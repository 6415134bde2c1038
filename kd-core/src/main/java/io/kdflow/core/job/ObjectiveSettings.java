package io.kdflow.core.job;

import java.util.Objects;

/**
 * The loss of the distillation phase and its parameters ({@code JobSpec.training.objective},
 * {@code kd_temperature} and {@code objective_settings}), resolved and validated. Authoritative over
 * {@link TrainingSettings#objective()}, whose enum predates the last three kinds.
 *
 * @param kind the objective
 * @param temperature softmax temperature of the KD objectives (the loss carries the tau^2 factor)
 * @param gjsdBeta generalized JSD: 0 = forward KL, 1 = reverse KL
 * @param teacherDropout noisy KD: dropout rate of the teacher's forward pass
 * @param relationHeads attention-relation KD: relation heads; 0 = the teacher's attention heads
 * @param relationWeight attention-relation KD: weight of the relation losses (the logit loss gets 1 - weight)
 * @param scaleBatches attention-relation KD: batches that size each loss's scale at the start
 * @param teacherLogits where the KD losses read the teacher's distribution
 */
public record ObjectiveSettings(Kind kind, double temperature, double gjsdBeta, double teacherDropout,
        int relationHeads, double relationWeight, int scaleBatches, TeacherLogits teacherLogits) {

    /**
     * Cross-entropy, temperature 1, beta 0.5, teacher dropout 0.1, teacher's heads, weight 0.5, 100 batches, the
     * dense teacher.
     */
    public static final ObjectiveSettings DEFAULTS = new ObjectiveSettings(Kind.CROSS_ENTROPY, 1.0, 0.5, 0.1, 0, 0.5,
            100, TeacherLogits.DENSE);

    /** Where KD reads the teacher's distribution ({@code objective.teacher_logits}). */
    public enum TeacherLogits {
        /** The teacher model in the process: its full logits. */
        DENSE,
        /** The sparse top-k distributions the PT records carry (the streaming trainer's source). */
        RECORDS
    }

    /** The study's objectives (docs/method.md) and the TRL divergences. */
    public enum Kind {
        CROSS_ENTROPY, LOGIT_KD, NOISY_KD, SEQUENCE_KD, REVERSE_KD, GENERALIZED_JSD, ATTENTION_RELATION_KD;

        /** Whether the loss needs the teacher's distributions. */
        public boolean usesTeacher() {
            return this != CROSS_ENTROPY && this != SEQUENCE_KD;
        }
    }

    /** Settings with the dense teacher. */
    public ObjectiveSettings(Kind kind, double temperature, double gjsdBeta, double teacherDropout,
            int relationHeads, double relationWeight, int scaleBatches) {
        this(kind, temperature, gjsdBeta, teacherDropout, relationHeads, relationWeight, scaleBatches,
                TeacherLogits.DENSE);
    }

    public ObjectiveSettings {
        Objects.requireNonNull(teacherLogits, "teacherLogits");
        if (!(temperature > 0) || !(gjsdBeta >= 0 && gjsdBeta <= 1) || !(teacherDropout >= 0 && teacherDropout < 1)
                || relationHeads < 0 || !(relationWeight >= 0 && relationWeight <= 1) || scaleBatches < 0) {
            throw new IllegalArgumentException("inconsistent objective settings: " + this);
        }
    }
}
