package io.kdflow.cli.report;

import java.util.Locale;

/** What an evaluated model is in a distillation job (the wire's ModelRole, without its Kafka types). */
public enum EvalRole {
    TEACHER,
    /** The distilled student. */
    STUDENT,
    /** A student trained on gold only: the "S" of the gap closed, (KD - S) / (T - S). */
    STUDENT_BASELINE,
    /** The source copied as the prediction (no model): the floor a teacher must clearly beat. */
    COPY_BASELINE;

    /** The name used in report files: {@code teacher}, {@code student}, {@code student_baseline}, {@code copy_baseline}. */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
