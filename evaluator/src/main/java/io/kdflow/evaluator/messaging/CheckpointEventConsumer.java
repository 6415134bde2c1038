package io.kdflow.evaluator.messaging;

import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.RecordKeys;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.evaluator.config.EvaluatorConfig;
import io.kdflow.evaluator.evaluation.CheckpointVerifier;
import io.kdflow.service.KafkaSends;
import io.kdflow.service.RecordGate;
import io.kdflow.service.RejectedRecordException;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes checkpoint events and publishes one evaluation report per checkpoint. */
@ApplicationScoped
public class CheckpointEventConsumer {

    static final String SERVICE = "evaluator";

    private final RecordGate gate;
    private final EvaluatorConfig config;
    private final Emitter<byte[]> reports;
    private final CheckpointVerifier verifier;
    /** Checkpoints already reported, by job/role/step/sha: a redelivered event produces no second report. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    public CheckpointEventConsumer(
            RecordGate gate,
            EvaluatorConfig config,
            Clock clock,
            @ConfigProperty(name = "quarkus.application.version") String version,
            @Channel(EvaluatorChannels.EVAL_REPORTS) Emitter<byte[]> reports) {
        this.gate = gate;
        this.config = config;
        this.reports = reports;
        this.verifier = new CheckpointVerifier(new ModelStore(config.modelStore()),
                "evaluator/" + version + "/verify", clock);
    }

    @PostConstruct
    void registerMetrics() {
        gate.registerOutcomes(SERVICE, "reported", "duplicate");
    }

    @Incoming(EvaluatorChannels.CHECKPOINTS)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        gate.process(SERVICE, record, WireCodecs.CHECKPOINT_EVENT, this::report);
    }

    private String report(CheckpointEvent event) {
        String identity = RecordKeys.keyOf(event) + "/" + event.getStep() + "/" + event.getSha256();
        if (reported.contains(identity)) {
            return "duplicate";
        }
        EvalReport report;
        try {
            report = verifier.verify(event);
        } catch (IllegalArgumentException e) {
            throw new RejectedRecordException(e.getMessage(), e);
        }
        KafkaSends.sendAndWait(reports, RecordKeys.keyOf(report), WireCodecs.EVAL_REPORT.encode(report),
                config.sendTimeout());
        reported.add(identity);
        return "reported";
    }
}
