package io.kdflow.core.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * 0-d operands for arithmetic on arrays autograd records, in memory libtorch owns.
 *
 * <p>Never write {@code x.div(2.0)} (or add, sub, mul, pow, maximum, minimum with a Number) on such an array:
 * DJL wraps the number in an array over a Java direct buffer, runs the operation and closes that array at once,
 * while libtorch's autograd keeps the operand for the backward pass (div, mul, pow, maximum and minimum do). The
 * buffer's memory is freed at the JVM's next garbage collection, and a backward pass after one reads whatever the
 * allocator wrote there: x / 0 = infinite gradients everywhere, with a finite loss. An operand from here is
 * reference-counted by libtorch like any other tensor, so the backward pass keeps it alive.
 */
public final class ScalarOperand {

    private ScalarOperand() {}

    /**
     * {@code value} as a 0-d array of {@code array}'s type (a 0-d float64 operand would turn a 0-d float32 result
     * into float64), in {@code array}'s manager.
     */
    public static NDArray like(NDArray array, double value) {
        DataType type = array.getDataType();
        try (NDArray wide = array.getManager().create(value)) { // () float64 over a Java buffer
            // DJL's toType to the array's own type returns the same memory: duplicate, which copies
            return type == DataType.FLOAT64 ? wide.duplicate() : wide.toType(type, false); // ()
        }
    }
}
