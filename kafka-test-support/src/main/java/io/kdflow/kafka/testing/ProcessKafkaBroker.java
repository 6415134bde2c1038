package io.kdflow.kafka.testing;

import io.kdflow.kafka.EmbeddedKafkaProcess;

/** The embedded-kafka broker in a child JVM; the jar comes from {@code -Dkdflow.kafka.broker-jar}. */
final class ProcessKafkaBroker implements TestKafkaBroker {

    private final EmbeddedKafkaProcess process;

    private ProcessKafkaBroker(EmbeddedKafkaProcess process) {
        this.process = process;
    }

    static ProcessKafkaBroker start() {
        return new ProcessKafkaBroker(EmbeddedKafkaProcess.builder().start());
    }

    @Override
    public String bootstrapServers() {
        return process.bootstrapServers();
    }

    @Override
    public String description() {
        return "Kafka broker process (pid " + process.processHandle().pid() + ") on " + bootstrapServers();
    }

    @Override
    public void close() {
        process.close();
    }
}
