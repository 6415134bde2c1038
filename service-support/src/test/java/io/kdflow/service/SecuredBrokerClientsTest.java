package io.kdflow.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.kafka.EmbeddedKafkaProcess;
import io.kdflow.kafka.broker.SaslPlainUser;
import io.kdflow.messaging.KafkaClientSecurity;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The security settings a service or the CLI takes from its configuration reach a real broker that demands SASL/PLAIN:
 * clients built with {@link KafkaClientConfig#security()} (services) or {@link KafkaClientSecurity#fromEnvironment}
 * (CLI) write and read; a client without them never gets through, and one with a wrong password is told so.
 */
class SecuredBrokerClientsTest {

    private static final SaslPlainUser USER = new SaslPlainUser("kdflow", "s3cret");
    private static final String TOPIC = "secured-clients";

    private static EmbeddedKafkaProcess broker;

    @BeforeAll
    static void startSecuredBroker() {
        broker = EmbeddedKafkaProcess.builder().partitions(1).saslPlain(USER).start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aServicesClientsShouldWriteAndReadWithTheSecuritySettingsOfItsConfiguration() throws Exception {
        Map<String, String> security = KafkaClientConfig.security(new SmallRyeConfigBuilder().withSources(
                new PropertiesConfigSource(Map.of(
                        "kafka.security.protocol", "SASL_PLAINTEXT",
                        "kafka.sasl.mechanism", "PLAIN",
                        "KAFKA_SASL_JAAS_CONFIG", USER.clientJaasConfig()), "test", 100)).build());

        send(security, "from-a-service", "scored");

        assertThat(readAll(security)).contains("from-a-service=scored");
    }

    @Test
    void theCliShouldWriteAndReadWithTheSecuritySettingsOfItsEnvironment() throws Exception {
        Map<String, String> security = KafkaClientSecurity.fromEnvironment(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "PLAIN",
                "PATH", "/bin"), properties(Map.of("kafka.sasl.jaas.config", USER.clientJaasConfig())));

        send(security, "from-the-cli", "submitted");

        assertThat(readAll(security)).contains("from-the-cli=submitted");
    }

    @Test
    void aClientWithAWrongPasswordShouldBeToldAndOneWithoutSecurityShouldNotGetThrough() {
        Map<String, String> wrong = Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", new SaslPlainUser(USER.user(), "guessed").clientJaasConfig());
        assertThatThrownBy(() -> send(wrong, "k", "v")).isInstanceOf(SaslAuthenticationException.class)
                .hasMessage("Authentication failed: Invalid username or password");

        assertThatThrownBy(() -> send(Map.of(), "k", "v")).as("a PLAINTEXT client cannot even read metadata")
                .isInstanceOf(TimeoutException.class);
    }

    private static void send(Map<String, String> security, String key, String value) throws Exception {
        Map<String, Object> props = new HashMap<>(security);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            try {
                producer.send(new ProducerRecord<>(TOPIC, key, value)).get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    private static List<String> readAll(Map<String, String> security) {
        Map<String, Object> props = new HashMap<>(security);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        List<String> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
            while (consumer.position(partition, Duration.ofSeconds(30)) < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(record.key() + "=" + record.value());
                }
            }
        }
        return records;
    }

    private static Properties properties(Map<String, String> entries) {
        Properties properties = new Properties();
        properties.putAll(entries);
        return properties;
    }
}
