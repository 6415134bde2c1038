package io.kdflow.core.wire;

/**
 * Turns a broken rule into the exception its caller wants: a {@link WireFormatException} when a decoder
 * checks bytes from the wire, an {@link IllegalArgumentException} when Java code builds a value. The rules
 * themselves are written once, against this interface.
 */
@FunctionalInterface
interface Violations {

    /** The exception to throw for {@code problem} at the dotted proto field path {@code field}. */
    RuntimeException at(String field, String problem);

    /** Violations of a sub-message: every field path gets {@code prefix.} in front. */
    default Violations nested(String prefix) {
        return (field, problem) -> at(field.isEmpty() ? prefix : prefix + "." + field, problem);
    }

    static Violations ofWire(String recordType) {
        return (field, problem) -> new WireFormatException(recordType, field, problem);
    }

    static Violations ofArgument(String valueType) {
        return (field, problem) -> new IllegalArgumentException(
                field.isEmpty() ? valueType + ": " + problem : valueType + "." + field + ": " + problem);
    }
}
