package io.kdflow.kafka;

import java.nio.file.Path;

/**
 * A stand-in for an application that starts a broker and then dies without closing it: starts an
 * {@link EmbeddedKafkaProcess}, prints the broker's pid, and waits to be killed.
 * Arguments: broker jar, data directory.
 */
public final class BrokerLauncherMain {

    static final String PID_PREFIX = "BROKER_PID ";

    private BrokerLauncherMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafkaProcess kafka = EmbeddedKafkaProcess.builder()
                .brokerJar(Path.of(args[0]))
                .dataDir(Path.of(args[1]))
                .start();
        System.out.println(PID_PREFIX + kafka.processHandle().pid());
        System.out.flush();
        Thread.currentThread().join();
    }
}
