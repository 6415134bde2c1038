package io.kdflow.core.wire;

import io.kdflow.core.error.BadInputException;

/**
 * A wire record that cannot be accepted: bytes that are not a protobuf message of the expected type, or a
 * message that breaks the kdflow.v1 contract. The message names the record type, the field path and what
 * is wrong, e.g. {@code PseudoTarget.distribution.log_probs: expected 128 bytes for 32 positions x k=2 at
 * FP16, got 126}.
 */
public final class WireFormatException extends BadInputException {

    private static final long serialVersionUID = 1L;

    private final String recordType;
    private final String fieldPath;
    private final String problem;

    public WireFormatException(String recordType, String fieldPath, String problem) {
        this(recordType, fieldPath, problem, null);
    }

    public WireFormatException(String recordType, String fieldPath, String problem, Throwable cause) {
        super(describe(recordType, fieldPath, problem), cause);
        this.recordType = recordType;
        this.fieldPath = fieldPath;
        this.problem = problem;
    }

    /** Protobuf message name of the record, e.g. {@code PseudoTarget}. */
    public String recordType() {
        return recordType;
    }

    /** Dotted proto field path inside the record, e.g. {@code distribution.log_probs}; empty for the whole record. */
    public String fieldPath() {
        return fieldPath;
    }

    /** What is wrong, without the record type and field path. */
    public String problem() {
        return problem;
    }

    private static String describe(String recordType, String fieldPath, String problem) {
        return fieldPath.isEmpty() ? recordType + ": " + problem : recordType + "." + fieldPath + ": " + problem;
    }
}
