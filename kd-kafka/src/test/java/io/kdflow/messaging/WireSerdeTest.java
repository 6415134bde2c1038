package io.kdflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.WireFormatException;
import io.kdflow.core.wire.proto.SourceExample;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The serializers and deserializers as Kafka clients create them: by class name from client config. */
class WireSerdeTest {

    private static final List<String> RECORD_TYPES = List.of("JobSpec", "SourceExample", "PseudoTarget",
            "StudentSample", "StudentScores", "CheckpointEvent", "EvalReport", "DeadLetter");

    static Stream<Arguments> recordsByTopic() {
        List<Message> records = SampleRecords.all();
        return IntStream.range(0, records.size()).mapToObj(i -> Arguments.of(Topics.all().get(i), records.get(i)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordsByTopic")
    void shouldRoundTripEveryRecordTypeThroughConfiguredSerdes(String topic, Message record) {
        String type = record.getDescriptorForType().getName();
        Serializer<Message> serializer = serializer(type);
        Deserializer<Message> deserializer = deserializer(type);

        byte[] bytes = serializer.serialize(topic, record);

        assertThat(bytes).isEqualTo(record.toByteArray());
        assertThat(deserializer.deserialize(topic, bytes)).isEqualTo(record);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordsByTopic")
    void shouldPassTombstonesThrough(String topic, Message record) {
        String type = record.getDescriptorForType().getName();

        assertThat(serializer(type).serialize(topic, null)).isNull();
        assertThat(deserializer(type).deserialize(topic, null)).isNull();
    }

    @Test
    void shouldRaiseKafkasSerializationExceptionNamingTheTopicForGarbage() {
        Deserializer<Message> deserializer = deserializer("PseudoTarget");

        assertThatThrownBy(() -> deserializer.deserialize(Topics.PSEUDO_TARGETS, new byte[] {(byte) 0xff, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Cannot deserialize a record from topic kdflow.pseudo-targets.v1: "
                        + "PseudoTarget: not a valid protobuf encoding (2 bytes)")
                .cause().isInstanceOf(WireFormatException.class);
    }

    @Test
    void shouldRejectARecordThatBreaksTheContract() {
        byte[] unlabeled = SampleRecords.sourceExample().toBuilder().clearReferences().build().toByteArray();

        assertThatThrownBy(() -> deserializer("SourceExample").deserialize(Topics.EXAMPLES, unlabeled))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Cannot deserialize a record from topic kdflow.examples.v1: SourceExample.references: "
                        + "a TRAIN example needs at least one reference");
    }

    @Test
    void shouldRefuseToPublishWhatConsumersWouldReject() {
        SourceExample noId = SampleRecords.sourceExample().toBuilder().setExampleId("").build();

        assertThatThrownBy(() -> serializer("SourceExample").serialize(Topics.EXAMPLES, noId))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Cannot serialize SourceExample for topic kdflow.examples.v1: "
                        + "SourceExample.example_id: must not be empty")
                .cause().isInstanceOf(WireFormatException.class);
    }

    @Test
    void shouldHaveOneSerializerAndDeserializerPerRecordType() {
        assertThat(RECORD_TYPES).allSatisfy(type -> {
            assertThat(serializer(type)).isNotNull();
            assertThat(deserializer(type)).isNotNull();
        });
    }

    @SuppressWarnings("unchecked")
    private static Serializer<Message> serializer(String recordType) {
        ProducerConfig config = new ProducerConfig(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "io.kdflow.messaging." + recordType + "Serializer"));
        return config.getConfiguredInstance(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, Serializer.class);
    }

    @SuppressWarnings("unchecked")
    private static Deserializer<Message> deserializer(String recordType) {
        ConsumerConfig config = new ConsumerConfig(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "io.kdflow.messaging." + recordType + "Deserializer"));
        return config.getConfiguredInstance(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, Deserializer.class);
    }
}
