package io.kdflow.kafka.testing;

/** A running broker for tests, whatever starts it. */
public interface TestKafkaBroker extends AutoCloseable {

    /** {@code host:port} for clients' {@code bootstrap.servers}. */
    String bootstrapServers();

    /** How it runs, for log lines and failure messages. */
    String description();

    /** Stops the broker; its data is gone afterwards. */
    @Override
    void close();
}
