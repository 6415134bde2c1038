package io.kdflow.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FreePortTest {

    @Test
    void shouldReturnDistinctBindablePortsForEveryZero() throws IOException {
        for (int round = 0; round < 50; round++) {
            int[] ports = FreePort.resolveAll(0, 0, 0, 0, 0, 0);

            assertThat(Arrays.stream(ports).distinct().count()).as("ports %s", Arrays.toString(ports)).isEqualTo(6);
            assertThat(Arrays.stream(ports).boxed()).allSatisfy(port -> assertThat(port).isBetween(1, 65535));
        }
        int port = FreePort.resolve(0);
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void shouldKeepRequestedPortsAndPickOthersAroundThem() throws IOException {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int fixed = held.getLocalPort();

            int[] ports = FreePort.resolveAll(0, fixed, 0);

            assertThat(ports[1]).isEqualTo(fixed);
            assertThat(ports[0]).isNotIn(fixed, ports[2]);
            assertThat(ports[2]).isNotEqualTo(fixed);
        }
        assertThat(FreePort.resolve(19092)).isEqualTo(19092);
    }

    @Test
    void shouldRefuseTwoEqualRequestedPorts() {
        assertThatThrownBy(() -> FreePort.resolveAll(9092, 0, 9092))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the requested ports must differ, got [9092, 0, 9092]");
    }
}
