package io.kdflow.sampler.messaging;

import io.kdflow.core.wire.RecordKeys;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.sampler.sampling.RecordSink;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Publishes a step's records on {@code kdflow.pseudo-targets.v1} (key {@code <job>/<example id>}): all sent at
 * once, then every acknowledgement awaited, so a batch costs one round trip instead of one per record.
 */
final class PseudoTargetSends implements RecordSink {

    private final Emitter<byte[]> emitter;
    private final Duration timeout;

    PseudoTargetSends(Emitter<byte[]> emitter, Duration timeout) {
        this.emitter = emitter;
        this.timeout = timeout;
    }

    @Override
    public void publish(List<PseudoTarget> records) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(records.size());
        for (PseudoTarget record : records) {
            CompletableFuture<Void> acked = new CompletableFuture<>();
            OutgoingKafkaRecordMetadata<String> metadata =
                    OutgoingKafkaRecordMetadata.<String>builder().withKey(RecordKeys.keyOf(record)).build();
            emitter.send(Message.of(WireCodecs.PSEUDO_TARGET.encode(record), Metadata.of(metadata),
                    () -> {
                        acked.complete(null);
                        return CompletableFuture.completedFuture(null);
                    },
                    failure -> {
                        acked.completeExceptionally(failure);
                        return CompletableFuture.completedFuture(null);
                    }));
            acks.add(acked);
        }
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + records.size() + " PT records", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("broker rejected a PT record: " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no broker acknowledgement for " + records.size() + " PT records within "
                    + timeout, e);
        }
    }
}
