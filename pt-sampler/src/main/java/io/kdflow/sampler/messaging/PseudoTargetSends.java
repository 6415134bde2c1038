package io.kdflow.sampler.messaging;

import io.kdflow.core.wire.RecordKeys;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.sampler.sampling.RecordSink;
import io.kdflow.service.KafkaSends;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Publishes a step's records on {@code kdflow.pseudo-targets.v1} (key {@code <job>/<example id>}): all sent at
 * once, then every acknowledgement awaited, so a batch costs one round trip instead of one per record. Through a
 * broker restart the producer retries the records itself; one it gives up on is sent again (the trainer keeps the
 * first copy of each PT), until {@code sampler.publish-retry-for} has passed.
 */
final class PseudoTargetSends implements RecordSink {

    private final Emitter<byte[]> emitter;
    private final Duration attempt;
    private final Duration giveUpAfter;

    PseudoTargetSends(Emitter<byte[]> emitter, Duration attempt, Duration giveUpAfter) {
        this.emitter = emitter;
        this.attempt = attempt;
        this.giveUpAfter = giveUpAfter;
    }

    @Override
    public void publish(List<PseudoTarget> records) {
        if (records.isEmpty()) {
            return;
        }
        List<Map.Entry<String, byte[]>> keyed = records.stream()
                .map(record -> Map.entry(RecordKeys.keyOf(record), WireCodecs.PSEUDO_TARGET.encode(record)))
                .toList();
        String what = records.size() + " PT records of job " + records.get(0).getHeader().getJobId();
        KafkaSends.sendAllUntilAcknowledged(emitter, keyed, what, attempt, giveUpAfter);
    }
}
