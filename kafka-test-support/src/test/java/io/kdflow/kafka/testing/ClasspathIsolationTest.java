package io.kdflow.kafka.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Services get the launcher and the clients from this module, never the broker's own jars. */
class ClasspathIsolationTest {

    @Test
    void shouldReachTheLauncherButNotTheBrokerClassesWhenUsedAsADependency() throws Exception {
        assertThat(Class.forName("io.kdflow.kafka.EmbeddedKafkaProcess")).isNotNull();
        assertThat(Class.forName("org.apache.kafka.clients.producer.KafkaProducer")).isNotNull();

        assertThatThrownBy(() -> Class.forName("kafka.server.KafkaRaftServer")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.apache.kafka.metadata.storage.Formatter"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("scala.Option")).isInstanceOf(ClassNotFoundException.class);
    }
}
