package io.kdflow.teacher.api;

/** A REST request that cannot be served: its HTTP status and a message naming the field and the rule. */
final class ApiException extends RuntimeException {

    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }
}
