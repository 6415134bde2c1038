package io.kdflow.teacher.messaging;

import io.kdflow.core.wire.RecordKeys;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.StudentSample;
import io.kdflow.core.wire.proto.StudentScores;
import io.kdflow.service.KafkaSends;
import io.kdflow.service.RecordGate;
import io.kdflow.teacher.config.TeacherConfig;
import io.kdflow.teacher.scoring.EchoScorer;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes student samples (Joint-Teaching, remote mode) and publishes the teacher's scores. */
@ApplicationScoped
public class StudentSampleProcessor {

    static final String SERVICE = "teacher";

    private final RecordGate gate;
    private final TeacherConfig config;
    private final Emitter<byte[]> scores;
    private final EchoScorer scorer;

    public StudentSampleProcessor(
            RecordGate gate,
            TeacherConfig config,
            Clock clock,
            @ConfigProperty(name = "quarkus.application.version") String version,
            @Channel(TeacherChannels.STUDENT_SCORES) Emitter<byte[]> scores) {
        this.gate = gate;
        this.config = config;
        this.scores = scores;
        this.scorer = new EchoScorer("teacher-service/" + version + "/echo", config.echoVocabSize(), clock);
    }

    @PostConstruct
    void registerMetrics() {
        gate.registerOutcomes(SERVICE, "scored");
    }

    @Incoming(TeacherChannels.STUDENT_SAMPLES)
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        gate.process(SERVICE, record, WireCodecs.STUDENT_SAMPLE, this::score);
    }

    private String score(StudentSample sample) {
        StudentScores result = scorer.score(sample);
        KafkaSends.sendAndWait(scores, RecordKeys.keyOf(result),
                WireCodecs.STUDENT_SCORES.encode(result), config.sendTimeout());
        return "scored";
    }
}
