package io.kdflow.service;

/**
 * A well-formed record a service cannot act on (unknown job, model outside the store, checksum
 * mismatch). Like a malformed record it goes to the dead-letter topic; the service keeps running.
 */
public class RejectedRecordException extends RuntimeException {

    public RejectedRecordException(String message) {
        super(message);
    }

    public RejectedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
