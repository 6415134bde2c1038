package io.kdflow.service;

import com.google.protobuf.Message;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.wire.WireCodec;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * The one way a service consumes a record: decode and validate it, run the service's handler, count the
 * outcome, and route anything malformed or rejected to the dead-letter topic instead of failing.
 *
 * <p>This is the one place a service maps exceptions to dead letters: a {@link BadInputException} (a
 * {@code WireFormatException}, a {@link RejectedRecordException}, or any kd-core validator's) is the record's
 * fault and is dead-lettered with its message as the reason. Handlers let it through instead of catching it.
 * Anything else is not the record's fault: infrastructure (the broker does not acknowledge) or a bug. It
 * propagates with its stack trace, the message is not acknowledged, and the channel's
 * {@code failure-strategy=fail} stops the service so that Kafka redelivers the record after the restart.
 *
 * <p>Counts go to {@code kdflow.<service>.records} with an {@code outcome} tag
 * (Prometheus: {@code kdflow_<service>_records_total}); {@code dead_letter} counts what was routed away.
 */
@ApplicationScoped
public class RecordGate {

    public static final String DEAD_LETTER = "dead_letter";

    private static final Logger LOG = Logger.getLogger(RecordGate.class);

    private final DeadLetterPublisher deadLetters;
    private final MeterRegistry registry;

    public RecordGate(DeadLetterPublisher deadLetters, MeterRegistry registry) {
        this.deadLetters = deadLetters;
        this.registry = registry;
    }

    /** Registers the counters a dashboard needs before the first record arrives. */
    public void registerOutcomes(String service, String... outcomes) {
        registry.counter(recordsMetric(service), "outcome", DEAD_LETTER);
        for (String outcome : outcomes) {
            registry.counter(recordsMetric(service), "outcome", outcome);
        }
    }

    public <T extends Message> void process(
            String service, ConsumerRecord<String, byte[]> record, WireCodec<T> codec, RecordHandler<T> handler) {
        String outcome;
        try {
            outcome = handler.handle(codec.decode(record.value()));
        } catch (BadInputException e) { // malformed (WireFormatException) or rejected (RejectedRecordException)
            LOG.warnf("%s: dead-lettering %s[%d]@%d: %s", service, record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            deadLetters.publish(service, record, e);
            outcome = DEAD_LETTER;
        }
        registry.counter(recordsMetric(service), "outcome", outcome).increment();
    }

    static String recordsMetric(String service) {
        return "kdflow." + service + ".records";
    }
}
