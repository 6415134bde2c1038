package io.kdflow.sampler.messaging;

import io.kdflow.core.wire.RecordKeys;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.SourceExample;
import io.kdflow.sampler.config.SamplerConfig;
import io.kdflow.sampler.sampling.PassThroughTargets;
import io.kdflow.service.KafkaSends;
import io.kdflow.service.RecordGate;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes source examples and publishes their pseudo-target records. */
@ApplicationScoped
public class SourceExampleProcessor {

    static final String SERVICE = "sampler";

    private final RecordGate gate;
    private final SamplerConfig config;
    private final Emitter<byte[]> pseudoTargets;
    private final PassThroughTargets passThrough;

    public SourceExampleProcessor(
            RecordGate gate,
            SamplerConfig config,
            Clock clock,
            @ConfigProperty(name = "quarkus.application.version") String version,
            @Channel(SamplerChannels.PSEUDO_TARGETS) Emitter<byte[]> pseudoTargets) {
        this.gate = gate;
        this.config = config;
        this.pseudoTargets = pseudoTargets;
        this.passThrough = new PassThroughTargets("pt-sampler/" + version + "/pass-through", clock);
    }

    @PostConstruct
    void registerMetrics() {
        gate.registerOutcomes(SERVICE, "published", "skipped_unlabeled");
    }

    @Incoming(SamplerChannels.EXAMPLES)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        gate.process(SERVICE, record, WireCodecs.SOURCE_EXAMPLE, this::publishTargets);
    }

    private String publishTargets(SourceExample example) {
        Optional<PseudoTarget> target = passThrough.of(example);
        if (target.isEmpty()) {
            return "skipped_unlabeled";
        }
        PseudoTarget record = target.get();
        KafkaSends.sendAndWait(pseudoTargets, RecordKeys.keyOf(record),
                WireCodecs.PSEUDO_TARGET.encode(record), config.sendTimeout());
        return "published";
    }
}
