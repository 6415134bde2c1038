package io.kdflow.kafka.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KafkaBrokerModeTest {

    @Test
    void shouldReadModeNamesInAnyCaseAndDefaultToAuto() {
        assertThat(KafkaBrokerMode.parse("process")).isEqualTo(KafkaBrokerMode.PROCESS);
        assertThat(KafkaBrokerMode.parse(" Testcontainers ")).isEqualTo(KafkaBrokerMode.TESTCONTAINERS);
        assertThat(KafkaBrokerMode.parse("AUTO")).isEqualTo(KafkaBrokerMode.AUTO);
        assertThat(KafkaBrokerMode.parse(null)).isEqualTo(KafkaBrokerMode.AUTO);
        assertThat(KafkaBrokerMode.parse("")).isEqualTo(KafkaBrokerMode.AUTO);
    }

    @Test
    void shouldListTheValidModesWhenTheNameIsUnknown() {
        assertThatThrownBy(() -> KafkaBrokerMode.parse("docker"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dkdflow.test.kafka=docker is not a broker mode; use auto, process or testcontainers");
    }

    @Test
    void shouldResolveAutoToTheProcessBrokerWithoutABrokerImageToRun() {
        String image = System.getProperty(ContainerKafkaBroker.IMAGE_PROPERTY);
        System.clearProperty(ContainerKafkaBroker.IMAGE_PROPERTY);
        try {
            assertThat(TestKafkaBrokers.resolve(KafkaBrokerMode.AUTO)).isEqualTo(KafkaBrokerMode.PROCESS);
            assertThatThrownBy(ContainerKafkaBroker::image).isInstanceOf(IllegalStateException.class)
                    .hasMessage("no broker image: set -Dkdflow.test.kafka.image=kdflow/embedded-kafka:<version> (the root"
                            + " pom sets it for tests)");
        } finally {
            if (image != null) {
                System.setProperty(ContainerKafkaBroker.IMAGE_PROPERTY, image);
            }
        }
    }

    @Test
    void shouldKeepAConcreteModeWhenResolving() {
        assertThat(TestKafkaBrokers.resolve(KafkaBrokerMode.PROCESS)).isEqualTo(KafkaBrokerMode.PROCESS);
        assertThat(TestKafkaBrokers.resolve(KafkaBrokerMode.TESTCONTAINERS)).isEqualTo(KafkaBrokerMode.TESTCONTAINERS);
    }
}
