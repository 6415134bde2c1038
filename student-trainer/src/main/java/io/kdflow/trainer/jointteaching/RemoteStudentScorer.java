package io.kdflow.trainer.jointteaching;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.train.objective.StudentSampleScorer;
import io.kdflow.core.train.objective.StudentSamples;
import io.kdflow.core.wire.SparseDistribution;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.Provenance;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.StudentSample;
import io.kdflow.core.wire.proto.StudentScores;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Joint-Teaching's teacher in teacher-service, over plain Kafka clients: each student step's samples are published
 * as {@code StudentSample} records (one per sample, key = request id {@code <job>/<run>/<step>/<row>}, where
 * {@code <run>} tells this scorer's requests from an earlier run's) and the step waits for the {@code StudentScores}
 * of the same request ids. The answers are read by a consumer assigned to every partition of the scores topic and
 * of the dead-letter topic, positioned at their ends when the scorer is opened, so only answers to this scorer's
 * requests are seen; a sample teacher-service dead-letters fails the step with teacher-service's reason.
 *
 * <p>Exactly one score per sample (RELIABILITY.md): the first answer to a request id is kept, later copies (a
 * teacher-service that crashed after publishing but before committing scores the batch again; a re-request is
 * answered twice) are dropped and counted ({@link #duplicates}). A sample unanswered after {@code retryAfter} is
 * published again under the same request id (a teacher-service that lost it, e.g. killed after committing its
 * offset), every {@code retryAfter}, until {@code timeout} fails the step. Scoring is teacher-forced and
 * deterministic, so a re-requested score equals the first. Used by the training thread only (Kafka consumers are
 * single-threaded).
 *
 * <p>Each round trip is reported ({@link #onRoundTrip}): samples, time waited, and the staleness of the scores
 * when they enter the loss (0: the step waits for them).
 */
public final class RemoteStudentScorer implements StudentSampleScorer, AutoCloseable {

    /**
     * One student step's samples scored.
     *
     * @param sampledAt the student step that sampled them (the scores' {@code student_step})
     * @param appliedAt the step whose loss reads them
     * @param samples how many samples
     * @param waited from publishing the samples to the last answer
     */
    public record RoundTrip(long sampledAt, long appliedAt, int samples, Duration waited) {

        /** Optimizer steps between sampling and applying the scores. */
        public long staleness() {
            return appliedAt - sampledAt;
        }
    }

    private static final Duration POLL = Duration.ofMillis(100);

    private final String jobId;
    private final String run;
    private final Duration timeout;
    private final Duration retryAfter;
    private final Clock clock;
    private final String producerName;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> answers;
    private Consumer<RoundTrip> listener = trip -> { };
    private long received;
    private long duplicates;
    private long reRequests;

    /**
     * Opens a producer and a consumer on {@code bootstrapServers}; the topics must exist (the consumer starts at
     * their current ends).
     *
     * @param timeout how long a step waits for all its scores
     * @param producerName {@code header.provenance.producer} of the samples, e.g. {@code student-trainer/0.1.0}
     * @throws IllegalStateException when the scores or dead-letter topic does not exist
     */
    public RemoteStudentScorer(String jobId, String bootstrapServers, Duration timeout, Clock clock,
            String producerName) {
        this(jobId, bootstrapServers, timeout, timeout, clock, producerName);
    }

    /**
     * As above, with unanswered samples published again every {@code retryAfter} until {@code timeout}.
     *
     * @throws IllegalArgumentException when {@code retryAfter} is not positive
     */
    public RemoteStudentScorer(String jobId, String bootstrapServers, Duration timeout, Duration retryAfter,
            Clock clock, String producerName) {
        if (retryAfter.isZero() || retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must be positive: " + retryAfter);
        }
        this.jobId = jobId;
        this.run = UUID.randomUUID().toString().substring(0, 8);
        this.timeout = timeout;
        this.retryAfter = retryAfter;
        this.clock = clock;
        this.producerName = producerName;
        this.producer = new KafkaProducer<>(producerProperties(bootstrapServers), new StringSerializer(),
                new ByteArraySerializer());
        this.answers = new KafkaConsumer<>(consumerProperties(bootstrapServers), new StringDeserializer(),
                new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            partitions.addAll(partitions(Topics.STUDENT_SCORES));
            partitions.addAll(partitions(Topics.DEAD_LETTERS));
            answers.assign(partitions);
            answers.seekToEnd(partitions);
            partitions.forEach(answers::position); // fixes "the end" now, before any sample is sent
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Scores taken so far: the first answer to each request id. */
    public long received() {
        return received;
    }

    /** Answers dropped so far: copies of a request id already answered. */
    public long duplicates() {
        return duplicates;
    }

    /** Samples published again so far because no answer came within {@code retryAfter}. */
    public long reRequests() {
        return reRequests;
    }

    /** Called after every scored step (metrics: time waited, staleness). */
    public RemoteStudentScorer onRoundTrip(Consumer<RoundTrip> consumer) {
        this.listener = consumer;
        return this;
    }

    /**
     * @throws BadInputException when teacher-service dead-letters a sample (its reason quoted)
     * @throws IllegalStateException when the scores do not all arrive within the timeout
     */
    @Override
    public List<SparseDistribution> score(StudentSamples samples) {
        long started = System.nanoTime();
        Map<String, Integer> rows = new LinkedHashMap<>();
        Map<String, StudentSample> requests = new LinkedHashMap<>();
        for (int row = 0; row < samples.size(); row++) {
            String requestId = jobId + "/" + run + "/" + samples.step() + "/" + row;
            rows.put(requestId, row);
            requests.put(requestId, sample(samples, row, requestId));
        }
        send(requests.values());
        Map<Integer, StudentScores> scores = await(rows, requests, samples.step(), started);
        List<SparseDistribution> distributions = new ArrayList<>(samples.size());
        for (int row = 0; row < samples.size(); row++) {
            StudentScores answer = scores.get(row);
            SparseDistribution distribution = SparseDistribution.fromProto(answer.getDistribution());
            if (distribution.positions() != samples.samples()[row].length) {
                throw new BadInputException("StudentScores " + answer.getRequestId() + ": distribution.positions "
                        + distribution.positions() + " != the sample's " + samples.samples()[row].length + " tokens");
            }
            distributions.add(distribution);
        }
        long sampledAt = scores.get(0).getStudentStep();
        listener.accept(new RoundTrip(sampledAt, samples.step(), samples.size(),
                Duration.ofNanos(System.nanoTime() - started)));
        return distributions;
    }

    private void send(Iterable<StudentSample> samples) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (StudentSample sample : samples) {
            sends.add(producer.send(new ProducerRecord<>(Topics.STUDENT_SAMPLES, Topics.requestKey(sample.getRequestId()),
                    WireCodecs.STUDENT_SAMPLE.encode(sample))));
        }
        producer.flush();
        for (Future<RecordMetadata> send : sends) {
            awaitSent(send);
        }
    }

    private Map<Integer, StudentScores> await(Map<String, Integer> rows, Map<String, StudentSample> requests,
            long step, long started) {
        Map<Integer, StudentScores> scores = new HashMap<>();
        long deadline = started + timeout.toNanos();
        long nextRequest = started + retryAfter.toNanos();
        int stepReRequests = 0;
        while (scores.size() < rows.size()) {
            long now = System.nanoTime();
            if (now - deadline > 0) {
                throw new IllegalStateException("Joint-Teaching step " + step + " of job " + jobId + ": teacher-service"
                        + " answered " + scores.size() + " of " + rows.size() + " student samples within " + timeout
                        + (stepReRequests > 0 ? " (the missing ones requested again " + stepReRequests + " times)" : "")
                        + " (is teacher-service running and consuming " + Topics.STUDENT_SAMPLES + "?)");
            }
            if (now - nextRequest > 0) {
                List<StudentSample> missing = requests.entrySet().stream()
                        .filter(request -> !scores.containsKey(rows.get(request.getKey())))
                        .map(Map.Entry::getValue).toList();
                send(missing);
                reRequests += missing.size();
                stepReRequests++;
                nextRequest = now + retryAfter.toNanos();
            }
            for (ConsumerRecord<String, byte[]> record : answers.poll(POLL)) {
                if (isCopy(record, rows, scores, step)) {
                    if (record.topic().equals(Topics.STUDENT_SCORES)) {
                        duplicates++; // a copy of an answered request: the first is kept
                    }
                    continue;
                }
                Integer row = record.key() == null ? null : rows.get(record.key());
                if (row == null) {
                    continue; // another trainer's answer
                }
                if (record.topic().equals(Topics.DEAD_LETTERS)) {
                    DeadLetter letter = WireCodecs.DEAD_LETTER.decode(record.value());
                    throw new BadInputException("Joint-Teaching step " + step + " of job " + jobId + ": "
                            + letter.getService() + " rejected student sample " + record.key() + ": "
                            + letter.getReason());
                }
                scores.put(row, WireCodecs.STUDENT_SCORES.decode(record.value()));
                received++;
            }
        }
        return scores;
    }

    /**
     * Whether an answer is for a request of this scorer that was answered already: a request of an earlier step
     * (a step returns only once all its requests are answered) or of this step's rows that has its score.
     */
    private boolean isCopy(ConsumerRecord<String, byte[]> record, Map<String, Integer> rows,
            Map<Integer, StudentScores> scores, long step) {
        String prefix = jobId + "/" + run + "/";
        if (record.key() == null || !record.key().startsWith(prefix)) {
            return false; // another trainer's (or an earlier run's) answer
        }
        Integer row = rows.get(record.key());
        if (row != null) {
            return scores.containsKey(row);
        }
        String rest = record.key().substring(prefix.length());
        int slash = rest.indexOf('/');
        try {
            return slash > 0 && Long.parseLong(rest.substring(0, slash)) < step;
        } catch (NumberFormatException e) {
            return false; // not a request id this scorer makes
        }
    }

    private StudentSample sample(StudentSamples samples, int row, String requestId) {
        StudentSample.Builder sample = StudentSample.newBuilder()
                .setHeader(RecordHeader.newBuilder()
                        .setSchemaVersion(Wire.SCHEMA_VERSION)
                        .setJobId(jobId)
                        .setProvenance(Provenance.newBuilder().setProducer(producerName))
                        .setCreatedUnixMs(clock.millis()))
                .setRequestId(requestId)
                .setExampleId(samples.exampleIds().get(row))
                .setStudentStep(samples.step());
        for (long id : samples.sources()[row]) {
            sample.addSourceTokenIds(Math.toIntExact(id));
        }
        for (long id : samples.samples()[row]) {
            sample.addTokenIds(Math.toIntExact(id));
        }
        return sample.build();
    }

    private List<TopicPartition> partitions(String topic) {
        List<PartitionInfo> infos = answers.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("remote Joint-Teaching needs the topic " + topic + "; it does not exist");
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private static void awaitSent(Future<RecordMetadata> send) {
        try {
            send.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing student samples", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker did not acknowledge a student sample", e.getCause());
        }
    }

    private static Properties producerProperties(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return props;
    }

    private static Properties consumerProperties(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        return props;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        answers.close(Duration.ofSeconds(5));
    }
}
