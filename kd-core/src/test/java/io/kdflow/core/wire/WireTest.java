package io.kdflow.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class WireTest {

    static final String[] NAMES = GoldenRecords.NAMES;

    @Test
    void shouldPairEveryTopicWithTheCodecOfItsRecordType() {
        assertThat(Topics.all()).extracting(topic -> Wire.codecForTopic(topic).recordType()).containsExactly(
                "JobSpec", "SourceExample", "PseudoTarget", "StudentSample", "StudentScores", "CheckpointEvent",
                "EvalReport", "DeadLetter");
    }

    @Test
    void shouldFindCodecAndTopicByRecordClass() {
        assertThat(Wire.codecFor(PseudoTarget.class)).isSameAs(WireCodecs.PSEUDO_TARGET);
        assertThat(Wire.topicOf(DeadLetter.class)).isEqualTo(Topics.DEAD_LETTERS);
    }

    @Test
    void shouldRejectUnknownTopicsAndClasses() {
        assertThatThrownBy(() -> Wire.codecForTopic("kdflow.jobs.v2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown topic \"kdflow.jobs.v2\"; kdflow.v1 topics are [kdflow.jobs.v1,");
        assertThatThrownBy(() -> Wire.codecFor(RecordHeader.class))
                .hasMessage("io.kdflow.core.wire.proto.RecordHeader is not a kdflow.v1 record type");
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void shouldRoundTripEveryGoldenRecordThroughTheCodecOfItsTopic(String name) {
        Message record = GoldenRecords.all().get(name);
        WireCodec<?> codec = Wire.codecForTopic(Wire.topicOf(record.getClass().asSubclass(Message.class)));

        assertThat(codec.decode(record.toByteArray())).isEqualTo(record);
    }

    @Test
    void shouldDeriveEachRecordsKeyFromTheRecord() {
        assertThat(RecordKeys.keyOf(GoldenRecords.jobSpec())).isEqualTo("copy-demo-7f3a");
        assertThat(RecordKeys.keyOf(GoldenRecords.sourceExample())).isEqualTo("copy-demo-7f3a/train-00000");
        assertThat(RecordKeys.keyOf(GoldenRecords.teacherTargetInt8())).isEqualTo("copy-demo-7f3a/train-00002");
        assertThat(RecordKeys.keyOf(GoldenRecords.studentSample())).isEqualTo(GoldenRecords.REQUEST_ID);
        assertThat(RecordKeys.keyOf(GoldenRecords.studentScores())).isEqualTo(GoldenRecords.REQUEST_ID);
        assertThat(RecordKeys.keyOf(GoldenRecords.checkpointEvent())).isEqualTo("copy-demo-7f3a/student");
        assertThat(RecordKeys.keyOf(GoldenRecords.evalReport())).isEqualTo("copy-demo-7f3a/student/1200/dev");
        assertThatThrownBy(() -> RecordKeys.keyOf(GoldenRecords.deadLetter()))
                .hasMessage("a DeadLetter is keyed by the rejected record's key bytes: use getKey()");
    }
}
