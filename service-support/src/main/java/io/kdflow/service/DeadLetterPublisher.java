package io.kdflow.service;

import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.messaging.DeadLetterReason;
import io.kdflow.messaging.DeadLetters;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Publishes a record a service could not process to {@code kdflow.dead-letters.v1}: its bytes unchanged,
 * where it came from and a one-line reason, keyed like the original record; and counts it in
 * {@code kdflow.dead.letters} (Prometheus {@code kdflow_dead_letters_total{service,topic,reason}}, reason =
 * {@link DeadLetterReason#tag()}), the one counter every service's dead letters go through.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    /** Micrometer name of the counter. */
    public static final String METRIC = "kdflow.dead.letters";

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final Emitter<byte[]> deadLetters;
    private final Clock clock;
    private final MeterRegistry registry;

    public DeadLetterPublisher(@Channel(Channels.DEAD_LETTERS) Emitter<byte[]> deadLetters, Clock clock,
            MeterRegistry registry) {
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.registry = registry;
    }

    public void publish(String service, ConsumerRecord<String, byte[]> failed, Exception cause) {
        byte[] keyBytes = failed.key() == null ? null : failed.key().getBytes(StandardCharsets.UTF_8);
        DeadLetter letter = new DeadLetters(service, clock).of(failed.topic(), failed.partition(), failed.offset(),
                keyBytes, failed.value(), cause);
        String key = failed.key() == null ? failed.topic() + "/" + failed.partition() + "/" + failed.offset() : failed.key();
        KafkaSends.sendAndWait(deadLetters, key, WireCodecs.DEAD_LETTER.encode(letter), SEND_TIMEOUT);
        count(service, failed.topic(), DeadLetterReason.of(failed.topic(), failed.value(), cause));
    }

    /** Publishes a dead letter built elsewhere (e.g. a job whose run failed after its spec was accepted). */
    public void publish(String key, DeadLetter letter) {
        KafkaSends.sendAndWait(deadLetters, key, WireCodecs.DEAD_LETTER.encode(letter), SEND_TIMEOUT);
        count(letter.getService(), letter.getSourceTopic(), DeadLetterReason.ofMessage(letter.getReason()));
    }

    private void count(String service, String topic, DeadLetterReason reason) {
        registry.counter(METRIC, "service", service, "topic", topic, "reason", reason.tag()).increment();
    }
}
