package io.kdflow.kafka.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Asks the OS for a free port on the loopback interface. */
public final class FreePort {

    private FreePort() {
    }

    /**
     * Returns {@code requested} unless it is 0, else a port that was free a moment ago.
     * KafkaRaftServer hides its socket server, so a bound port cannot be read back after start:
     * the controller address must be known up front for the static quorum anyway.
     */
    public static int resolve(int requested) {
        if (requested != 0) {
            return requested;
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
