package io.kdflow.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.BindException;

import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

    @Test
    void shouldReportTheDeepestCauseWithTheContextItsWrappersAdd() {
        Throwable bind = new BindException("Address already in use");
        Throwable socket = new KafkaException("Socket server failed to bind to 127.0.0.1:9092: Address already in use.", bind);
        Throwable acceptor = new RuntimeException("Unable to start acceptor for PLAINTEXT", socket);
        Throwable startup = new RuntimeException("Received a fatal error while waiting for the Acceptors", acceptor);

        assertThat(KafkaBroker.rootMessage(startup))
                .isEqualTo("Socket server failed to bind to 127.0.0.1:9092: Address already in use.");
    }

    @Test
    void shouldNameTheExceptionTypeWhenTheRootCauseHasNoMessage() {
        assertThat(KafkaBroker.rootMessage(new IllegalStateException("outer", new NullPointerException())))
                .isEqualTo("java.lang.NullPointerException");
    }
}
