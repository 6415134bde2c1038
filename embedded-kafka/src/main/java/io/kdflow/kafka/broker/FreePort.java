package io.kdflow.kafka.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Asks the OS for free ports on the loopback interface. */
public final class FreePort {

    /** Picks that collide with a fixed port are thrown back; this many tries is far beyond any real need. */
    private static final int MAX_PICKS = 64;

    private FreePort() {
    }

    /**
     * Returns {@code requested} unless it is 0, else a port that was free a moment ago.
     * KafkaRaftServer hides its socket server, so a bound port cannot be read back after start:
     * the controller address must be known up front for the static quorum anyway.
     * For more than one port use {@link #resolveAll}: two separate calls may return the same port.
     */
    public static int resolve(int requested) {
        return resolveAll(requested)[0];
    }

    /**
     * Returns {@code requested} with every 0 replaced by a port that was free a moment ago, all of them distinct.
     * The picking sockets stay open until every port is chosen, so the OS cannot hand out one port twice (it did:
     * a broker was started with the same client and controller port and refused to run).
     *
     * @throws IllegalArgumentException when two requested non-zero ports are equal
     */
    public static int[] resolveAll(int... requested) {
        int[] ports = requested.clone();
        int[] fixed = Arrays.stream(requested).filter(port -> port != 0).toArray();
        if (Arrays.stream(fixed).distinct().count() != fixed.length) {
            throw new IllegalArgumentException("the requested ports must differ, got " + Arrays.toString(requested));
        }
        List<ServerSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < ports.length; i++) {
                if (ports[i] == 0) {
                    ports[i] = pickOpen(open, fixed);
                }
            }
            return ports;
        } finally {
            open.forEach(FreePort::closeQuietly);
        }
    }

    private static int pickOpen(List<ServerSocket> open, int[] fixed) {
        for (int pick = 0; pick < MAX_PICKS; pick++) {
            ServerSocket socket = openEphemeral();
            open.add(socket);
            int port = socket.getLocalPort();
            if (Arrays.stream(fixed).noneMatch(taken -> taken == port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 distinct from " + Arrays.toString(fixed)
                + " after " + MAX_PICKS + " picks");
    }

    private static ServerSocket openEphemeral() {
        try {
            return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing was accepted on it; at worst its port stays taken and the broker's bind reports that.
        }
    }
}
