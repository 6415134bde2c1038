package io.kdflow.service;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.messaging.DeadLetters;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Publishes a record a service could not process to {@code kdflow.dead-letters.v1}: its bytes unchanged,
 * where it came from and a one-line reason, keyed like the original record.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final Emitter<byte[]> deadLetters;
    private final Clock clock;

    public DeadLetterPublisher(@Channel(Channels.DEAD_LETTERS) Emitter<byte[]> deadLetters, Clock clock) {
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    public void publish(String service, ConsumerRecord<String, byte[]> failed, Exception cause) {
        byte[] keyBytes = failed.key() == null ? null : failed.key().getBytes(StandardCharsets.UTF_8);
        DeadLetter letter = new DeadLetters(service, clock).of(failed.topic(), failed.partition(), failed.offset(),
                keyBytes, failed.value(), cause);
        String key = failed.key() == null ? failed.topic() + "/" + failed.partition() + "/" + failed.offset() : failed.key();
        KafkaSends.sendAndWait(deadLetters, key, WireCodecs.DEAD_LETTER.encode(letter), SEND_TIMEOUT);
    }

    /** Publishes a dead letter built elsewhere (e.g. a job whose run failed after its spec was accepted). */
    public void publish(String key, DeadLetter letter) {
        KafkaSends.sendAndWait(deadLetters, key, WireCodecs.DEAD_LETTER.encode(letter), SEND_TIMEOUT);
    }
}
