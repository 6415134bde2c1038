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
import org.jboss.logging.Logger;

/**
 * Keyed sends that wait for the broker's acknowledgement.
 *
 * <p>Consumers call this before returning, so an input offset is only committed once everything it
 * produced is durable (at-least-once; downstream de-duplicates by key).
 */
public final class KafkaSends {

    private static final Logger LOG = Logger.getLogger(KafkaSends.class);

    private KafkaSends() {}

    /**
     * Like {@link #sendAndWait}, but a missing acknowledgement is taken as a broker outage (a restart takes tens of
     * seconds) rather than a failure: the record is sent again every {@code attempt} until the broker acknowledges
     * one copy or {@code giveUpAfter} has passed. Only for records whose consumers de-duplicate by key (a copy
     * sent before the outage may still arrive). A rejection by the broker fails at once.
     */
    public static void sendUntilAcknowledged(Emitter<byte[]> emitter, String key, byte[] value, Duration attempt,
            Duration giveUpAfter) {
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        for (int tries = 1; ; tries++) {
            try {
                sendAndWait(emitter, key, value, attempt);
                return;
            } catch (NotAcknowledgedException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new IllegalStateException("no broker acknowledgement for record " + key + " in " + tries
                            + " tries over " + giveUpAfter, e);
                }
                LOG.warnf("no broker acknowledgement for record %s within %s (try %d); sending it again until %s"
                        + " have passed", key, attempt, tries, giveUpAfter);
            }
        }
    }

    /** The broker did not acknowledge a record in time (it may be down or restarting). */
    public static final class NotAcknowledgedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NotAcknowledgedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

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
            throw new NotAcknowledgedException("no broker acknowledgement for record " + key + " within " + timeout, e);
        }
    }
}
