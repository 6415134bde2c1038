package io.kdflow.teacher.messaging;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.wire.RecordKeys;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.StudentSample;
import io.kdflow.service.KafkaSends;
import io.kdflow.service.RecordGate;
import io.kdflow.teacher.config.TeacherConfig;
import io.kdflow.teacher.scoring.StudentScoring;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes student samples (Joint-Teaching, remote mode) a poll batch at a time ({@code max.poll.records} of the
 * channel), scores the well-formed ones together ({@link StudentScoring}) and publishes each one's
 * {@code StudentScores} under its request id; a malformed or rejected sample is dead-lettered with its reason.
 */
@ApplicationScoped
public class StudentSampleProcessor {

    static final String SERVICE = "teacher";

    private final RecordGate gate;
    private final TeacherConfig config;
    private final Emitter<byte[]> scores;
    private final StudentScoring scoring;

    public StudentSampleProcessor(
            RecordGate gate,
            TeacherConfig config,
            StudentScoring scoring,
            @Channel(TeacherChannels.STUDENT_SCORES) Emitter<byte[]> scores) {
        this.gate = gate;
        this.config = config;
        this.scores = scores;
        this.scoring = scoring;
    }

    @PostConstruct
    void registerMetrics() {
        gate.registerOutcomes(SERVICE, "scored");
    }

    @Incoming(TeacherChannels.STUDENT_SAMPLES)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> wellFormed = new ArrayList<>();
        List<StudentSample> samples = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                samples.add(WireCodecs.STUDENT_SAMPLE.decode(record.value()));
                wellFormed.add(record);
            } catch (BadInputException e) { // the gate decodes it again and dead-letters it
                gate.process(SERVICE, record, WireCodecs.STUDENT_SAMPLE, sample -> "scored");
            }
        }
        Map<ConsumerRecord<String, byte[]>, StudentScoring.Outcome> outcomes = new HashMap<>();
        List<StudentScoring.Outcome> scored = scoring.score(samples);
        for (int i = 0; i < wellFormed.size(); i++) {
            outcomes.put(wellFormed.get(i), scored.get(i));
        }
        for (ConsumerRecord<String, byte[]> record : wellFormed) {
            StudentScoring.Outcome outcome = outcomes.get(record);
            gate.process(SERVICE, record, WireCodecs.STUDENT_SAMPLE, sample -> publish(outcome));
        }
    }

    private String publish(StudentScoring.Outcome outcome) {
        if (!outcome.scored()) {
            throw outcome.rejected();
        }
        KafkaSends.sendUntilAcknowledged(scores, RecordKeys.keyOf(outcome.scores()),
                WireCodecs.STUDENT_SCORES.encode(outcome.scores()), config.sendTimeout(), config.publishRetryFor());
        return "scored";
    }
}
