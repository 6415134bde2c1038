package io.kdflow.evaluator.state;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.service.AcknowledgedDelivery.DeliveryCheck;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * Which (checkpoint, split) reports are on {@code kdflow.eval-reports.v1}, read from the topic itself when the
 * evaluator starts (every partition from the beginning to the end offsets of that moment, no consumer group), then
 * kept up to date by this process's own sends. It closes the window {@link ReportLog} leaves open: a crash after the
 * broker acknowledged a checkpoint's reports (all or some splits) and before its log line was written. The restarted
 * evaluator then evaluates the redelivered checkpoint again but publishes only the splits missing here, so every
 * (checkpoint, split) report is published once. Thread-safe.
 */
public final class PublishedReports {

    private static final Logger LOG = Logger.getLogger(PublishedReports.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<CheckpointId, Map<Split, EvalReport>> published = new HashMap<>();
    private final Properties consumerProperties; // empty: no broker to read again

    private PublishedReports(Properties consumerProperties) {
        this.consumerProperties = consumerProperties;
    }

    /** Nothing published (no broker to read: tests of the service's parts). */
    public static PublishedReports none() {
        return new PublishedReports(new Properties());
    }

    /**
     * Reads every report on the topic up to its current end.
     *
     * @param consumerProperties Kafka client settings (bootstrap servers, security); deserializers and group are set
     *     here
     * @param timeout the longest the read may take
     * @throws IllegalStateException when the end is not reached within {@code timeout} (the evaluator must not
     *     start with an incomplete memory: it would publish a report twice)
     */
    public static PublishedReports read(Properties consumerProperties, Duration timeout) {
        Properties props = new Properties();
        props.putAll(consumerProperties);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        PublishedReports reports = new PublishedReports(props);
        int read = reports.readToEnd(timeout);
        LOG.infof("evaluator: %d reports of %d checkpoints already on %s", read, reports.checkpoints(),
                Topics.EVAL_REPORTS);
        return reports;
    }

    /**
     * A check for {@link io.kdflow.service.KafkaSends#sendUntilAcknowledged}: whether the report of {@code id} on
     * {@code split}, whose copy the producer gave up on, is on the topic. It reads the topic to its end again, trying
     * every {@code attempt} while the broker is away, until the send's deadline.
     */
    public DeliveryCheck onTopic(CheckpointId id, Split split, Duration attempt) {
        return deadlineNanos -> {
            for (int tries = 1; ; tries++) {
                try {
                    readToEnd(attempt);
                    return contains(id, split);
                } catch (RuntimeException e) { // the broker is still away: KafkaException, or not read to the end
                    if (System.nanoTime() - deadlineNanos >= 0) {
                        throw new IllegalStateException("evaluator: could not tell whether the " + Topics.keyName(split)
                                + " report of " + id + " is on " + Topics.EVAL_REPORTS + " (" + tries + " reads)", e);
                    }
                    LOG.warnf("evaluator: %s not readable yet (%s); reading it again to settle the %s report of %s",
                            Topics.EVAL_REPORTS, e.getMessage(), Topics.keyName(split), id);
                }
            }
        };
    }

    /** Reads every report on the topic, from the beginning to the end offsets of now; returns how many it read. */
    private int readToEnd(Duration timeout) {
        if (consumerProperties.isEmpty()) {
            throw new IllegalStateException("evaluator: no broker to read " + Topics.EVAL_REPORTS + " from");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        int read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.EVAL_REPORTS, timeout);
            if (infos == null || infos.isEmpty()) {
                LOG.infof("evaluator: %s does not exist yet; no report was published", Topics.EVAL_REPORTS);
                return 0;
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(info -> new TopicPartition(Topics.EVAL_REPORTS, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            while (!reached(consumer, ends)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("evaluator: could not read " + Topics.EVAL_REPORTS + " to its end"
                            + " within " + timeout + " (" + read + " reports read); not going on with an incomplete"
                            + " memory of what was published");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() >= ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue; // published after the start: by this process, which records its own sends
                    }
                    take(record);
                    read++;
                }
            }
        }
        return read;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void take(ConsumerRecord<byte[], byte[]> record) { // add() keeps the first copy: a re-read changes nothing
        EvalReport report;
        try {
            report = WireCodecs.EVAL_REPORT.decode(record.value());
        } catch (BadInputException e) { // not the evaluator's: it never publishes such bytes
            LOG.warnf("evaluator: %s[%d]@%d is not an EvalReport (%s); ignored", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        add(new CheckpointId(report.getHeader().getJobId(), report.getRole(), report.getStep(),
                report.getCheckpointSha256()), report);
    }

    /** Whether the report of {@code id} on {@code split} is on the topic. */
    public synchronized boolean contains(CheckpointId id, Split split) {
        return published.getOrDefault(id, Map.of()).containsKey(split);
    }

    /** The reports of {@code id} on the topic, by split (the first of each, should one be there twice). */
    public synchronized Map<Split, EvalReport> of(CheckpointId id) {
        return Map.copyOf(published.getOrDefault(id, Map.of()));
    }

    /** Records a report the broker acknowledged. */
    public synchronized void add(CheckpointId id, EvalReport report) {
        published.computeIfAbsent(id, key -> new EnumMap<>(Split.class)).putIfAbsent(report.getSplit(), report);
    }

    /**
     * The checkpoint as its log line would have recorded it, when the report of every split in {@code splits} is on
     * the topic (rebuilt from them: the same metrics, best flag and URI); empty when one is missing.
     */
    public synchronized Optional<ReportedCheckpoint> reported(CheckpointId id, Set<Split> splits,
            String selectionMetric) {
        Map<Split, EvalReport> reports = published.getOrDefault(id, Map.of());
        if (splits.isEmpty() || !reports.keySet().containsAll(splits)) {
            return Optional.empty();
        }
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        splits.stream().sorted().forEach(split -> metrics.put(Topics.keyName(split), reports.get(split).getMetricsMap()));
        EvalReport first = reports.get(splits.stream().sorted().findFirst().orElseThrow());
        return Optional.of(new ReportedCheckpoint(id.job(), id.role(), id.step(), id.sha256(),
                first.getCheckpointUri(), metrics, first.getBestSoFar(), selectionMetric));
    }

    /** Checkpoints with at least one report on the topic. */
    public synchronized int checkpoints() {
        return published.size();
    }
}
