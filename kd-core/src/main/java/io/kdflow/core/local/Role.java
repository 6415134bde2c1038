package io.kdflow.core.local;

/** The models a local distillation reports, in report order. */
public enum Role {
    /** The source copied as the prediction: the floor every model must beat. */
    COPY_BASELINE,
    TEACHER,
    /** The cross-entropy student on gold, of the KD student's size: the "S" of the gap closed. */
    CE_BASELINE,
    /** The distilled student after the final fine-tune. */
    KD_STUDENT
}
