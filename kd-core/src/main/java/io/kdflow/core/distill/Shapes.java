package io.kdflow.core.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.model.TargetPositions;

/** Shape checks shared by the dense losses (a mismatch is a programming error). */
final class Shapes {

    private Shapes() {}

    /** Student and teacher logits (B, T, V) of one shape, the mask (B, T). */
    static void requireSame(NDArray studentLogits, NDArray teacherLogits, NDArray mask) {
        Shape student = studentLogits.getShape();
        if (student.dimension() != 3 || !student.equals(teacherLogits.getShape())) {
            throw new IllegalArgumentException("student and teacher logits must both be (B, T, V), got " + student
                    + " and " + teacherLogits.getShape());
        }
        if (!mask.getShape().equals(student.slice(0, 2))) {
            throw new IllegalArgumentException("mask must be (B, T) = " + student.slice(0, 2) + ", got "
                    + mask.getShape());
        }
    }

    /** Packed logits: both (N, V) with N the number of counted positions. */
    static void requirePacked(NDArray studentLogits, NDArray teacherLogits, TargetPositions positions) {
        Shape student = studentLogits.getShape();
        if (student.dimension() != 2 || !student.equals(teacherLogits.getShape())) {
            throw new IllegalArgumentException("packed student and teacher logits must both be (N, V), got " + student
                    + " and " + teacherLogits.getShape());
        }
        if (student.get(0) != positions.count()) {
            throw new IllegalArgumentException("packed logits have " + student.get(0) + " rows for "
                    + positions.count() + " counted positions");
        }
    }
}
