package io.kdflow.service;

import io.kdflow.core.error.BadInputException;

/**
 * A well-formed record a service cannot act on (unknown job, model outside the store, checksum
 * mismatch). Like a malformed record it goes to the dead-letter topic; the service keeps running.
 */
public class RejectedRecordException extends BadInputException {

    public RejectedRecordException(String message) {
        super(message);
    }

    public RejectedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
