package io.kdflow.kafka.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a Quarkus test a real Kafka broker and sets {@code kafka.bootstrap.servers} to it.
 *
 * <pre>{@code
 * @QuarkusTest
 * @QuarkusTestResource(KafkaBrokerResource.class)
 * class PipelineTest {
 *     @InjectKafkaTestClient
 *     KafkaTestClient kafka;
 * }
 * }</pre>
 *
 * The broker comes from {@code -Dkdflow.test.kafka} ({@link KafkaBrokerMode}): {@code auto} (default),
 * {@code process} or {@code testcontainers}; the init arg {@code mode} overrides it for one test class
 * (e.g. {@code process} for a test that kills the broker). By default all test classes of a JVM share one
 * broker per mode ({@link SharedKafkaBroker}); the init arg {@code shared=false} gives the test class a
 * broker of its own, stopped by {@link #stop()}.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    /** Init arg: {@code false} for a broker per start/stop instead of the JVM-wide one. */
    public static final String SHARED_ARG = "shared";
    /** Init arg: {@code auto}, {@code process} or {@code testcontainers}; overrides the system property. */
    public static final String MODE_ARG = "mode";
    public static final String BOOTSTRAP_SERVERS_CONFIG = "kafka.bootstrap.servers";

    private boolean shared = true;
    private KafkaBrokerMode mode = KafkaBrokerMode.fromSystemProperty();
    private TestKafkaBroker ownBroker;
    private KafkaTestClient client;

    @Override
    public void init(Map<String, String> initArgs) {
        shared = !"false".equalsIgnoreCase(initArgs.getOrDefault(SHARED_ARG, "true").trim());
        if (initArgs.containsKey(MODE_ARG)) {
            mode = KafkaBrokerMode.parse(initArgs.get(MODE_ARG));
        }
    }

    @Override
    public Map<String, String> start() {
        String bootstrapServers;
        if (shared) {
            bootstrapServers = SharedKafkaBroker.bootstrapServers(mode);
        } else {
            ownBroker = TestKafkaBrokers.start(mode);
            bootstrapServers = ownBroker.bootstrapServers();
        }
        client = new KafkaTestClient(bootstrapServers);
        return Map.of(BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }

    /** Fills test fields annotated with {@link InjectKafkaTestClient}. */
    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(client,
                new TestInjector.AnnotatedAndMatchesType(InjectKafkaTestClient.class, KafkaTestClient.class));
    }

    @Override
    public void stop() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (ownBroker != null) {
            ownBroker.close();
            ownBroker = null;
        }
    }
}
