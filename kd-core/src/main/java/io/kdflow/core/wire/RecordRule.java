package io.kdflow.core.wire;

/** The contract of one record type: throws through {@code violations} at the first broken rule. */
@FunctionalInterface
interface RecordRule<T> {

    void check(T record, Violations violations);
}
