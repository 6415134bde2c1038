package io.kdflow.service;

import io.kdflow.core.error.BadInputException;
import io.kdflow.messaging.DeadLetterReason;

/**
 * A well-formed record a service cannot act on (unknown job, model outside the store, checksum
 * mismatch). Like a malformed record it goes to the dead-letter topic; the service keeps running.
 */
public class RejectedRecordException extends BadInputException implements DeadLetterReason.Classified {

    private final DeadLetterReason reason;

    public RejectedRecordException(String message) {
        this(null, message, null);
    }

    public RejectedRecordException(String message, Throwable cause) {
        this(null, message, cause);
    }

    /** @param reason the dead-letter class; null classifies the rejection by its message */
    public RejectedRecordException(DeadLetterReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    @Override
    public DeadLetterReason deadLetterReason() {
        return reason;
    }
}
