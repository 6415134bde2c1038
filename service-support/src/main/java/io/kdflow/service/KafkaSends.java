package io.kdflow.service;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Keyed sends that wait for the broker's acknowledgement.
 *
 * <p>Consumers call this before returning, so an input offset is only committed once everything it
 * produced is durable (at-least-once; downstream de-duplicates by key).
 */
public final class KafkaSends {

    private KafkaSends() {}

    /** Sends {@code value} under {@code key} and blocks until the broker acknowledges it. */
    public static void sendAndWait(Emitter<byte[]> emitter, String key, byte[] value, Duration timeout) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        OutgoingKafkaRecordMetadata<String> metadata =
                OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build();
        emitter.send(Message.of(value, Metadata.of(metadata),
                () -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        try {
            acked.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending record " + key, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("broker rejected record " + key + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no broker acknowledgement for record " + key + " within " + timeout, e);
        }
    }
}
