package io.kdflow.service;

import io.kdflow.service.AcknowledgedDelivery.DeliveryCheck;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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

    /**
     * Like {@link #sendAndWait}, but through a broker outage of up to {@code giveUpAfter}
     * ({@link AcknowledgedDelivery}): the copy in flight is awaited in slices of {@code attempt}, and a new copy
     * is sent only after the producer gave up on the last one. For records whose consumers de-duplicate by key
     * (a copy the producer gave up on may still have been written).
     */
    public static void sendUntilAcknowledged(Emitter<byte[]> emitter, String key, byte[] value, Duration attempt,
            Duration giveUpAfter) {
        sendUntilAcknowledged(emitter, key, value, attempt, giveUpAfter, DeliveryCheck.RESEND);
    }

    /**
     * Like {@link #sendUntilAcknowledged(Emitter, String, byte[], Duration, Duration)}, but a copy the producer gave
     * up on is sent again only when {@code check} does not find it on the topic: for records that must be there
     * once.
     */
    public static void sendUntilAcknowledged(Emitter<byte[]> emitter, String key, byte[] value, Duration attempt,
            Duration giveUpAfter, DeliveryCheck check) {
        AcknowledgedDelivery.deliver(() -> send(emitter, key, value), key, attempt, giveUpAfter, check);
    }

    /** Sends {@code value} under {@code key} and blocks until the broker acknowledges it. */
    public static void sendAndWait(Emitter<byte[]> emitter, String key, byte[] value, Duration timeout) {
        AcknowledgedDelivery.await(send(emitter, key, value), key, timeout);
    }

    /** Sends {@code value} under {@code key}; the future completes when the broker acknowledges it. */
    static CompletableFuture<Void> send(Emitter<byte[]> emitter, String key, byte[] value) {
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
        return acked;
    }
}
