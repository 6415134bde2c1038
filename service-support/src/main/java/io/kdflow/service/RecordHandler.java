package io.kdflow.service;

/**
 * Service logic for one decoded record.
 *
 * @param <T> the record type
 */
@FunctionalInterface
public interface RecordHandler<T> {

    /**
     * Acts on the record and names what happened, e.g. {@code "published"} or {@code "skipped"}; the name
     * becomes the {@code outcome} tag of {@code kdflow_<service>_records_total}.
     *
     * @throws RejectedRecordException when the record cannot be acted on (it is dead-lettered)
     */
    String handle(T record);
}
