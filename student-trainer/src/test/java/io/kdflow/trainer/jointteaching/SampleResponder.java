package io.kdflow.trainer.jointteaching;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.train.objective.TeacherForcedSampleScorer;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.StudentSample;
import io.kdflow.core.wire.proto.StudentScores;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * teacher-service's scoring loop in a test thread: consumes the student samples of one job, scores each poll batch
 * with kd-core's {@link TeacherForcedSampleScorer} (the code teacher-service's scorer runs) and answers with
 * {@code StudentScores} under the request id, or dead-letters the batch's samples with the scorer's reason, as
 * teacher-service does. (teacher-service itself is another Quarkus application, which a student-trainer test cannot
 * start.)
 */
public final class SampleResponder implements AutoCloseable {

    private final String jobId;
    private final TeacherForcedSampleScorer scorer;
    private final KafkaConsumer<String, byte[]> samples;
    private final KafkaProducer<String, byte[]> producer;
    private final Thread thread;
    private final boolean loseFirstRequest;
    private volatile int copies;
    private final Set<String> seen = new HashSet<>();
    private final AtomicLong answers = new AtomicLong();
    private volatile boolean running = true;

    public SampleResponder(String bootstrapServers, String jobId, TeacherForcedSampleScorer scorer) {
        this(bootstrapServers, jobId, scorer, false, 1);
    }

    /**
     * A teacher-service that fails the trainer's delivery assumptions on purpose.
     *
     * @param loseFirstRequest never answers the first copy of a request id (a teacher-service killed after it
     *     committed the sample's offset and before it published the score)
     * @param copies scores published per answered request (more than 1: a teacher-service that published the
     *     scores, crashed before committing and scored the samples again after its restart)
     */
    public SampleResponder(String bootstrapServers, String jobId, TeacherForcedSampleScorer scorer,
            boolean loseFirstRequest,
            int copies) {
        this.loseFirstRequest = loseFirstRequest;
        this.copies = copies;
        this.jobId = jobId;
        this.scorer = scorer;
        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "responder-" + UUID.randomUUID());
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.samples = new KafkaConsumer<>(consumer, new StringDeserializer(), new ByteArrayDeserializer());
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.producer = new KafkaProducer<>(producer, new StringSerializer(), new ByteArraySerializer());
        samples.subscribe(List.of(Topics.STUDENT_SAMPLES));
        this.thread = new Thread(this::serve, "sample-responder");
        thread.start();
    }

    private void serve() {
        while (running) {
            for (ConsumerRecord<String, byte[]> record : samples.poll(Duration.ofMillis(100))) {
                StudentSample sample = WireCodecs.STUDENT_SAMPLE.decode(record.value());
                if (!sample.getHeader().getJobId().equals(jobId)
                        || (loseFirstRequest && seen.add(sample.getRequestId()))) {
                    continue;
                }
                answer(record, sample);
            }
            producer.flush();
        }
    }

    private void answer(ConsumerRecord<String, byte[]> record, StudentSample sample) {
        long[][] source = {sample.getSourceTokenIdsList().stream().mapToLong(Integer::longValue).toArray()};
        long[][] tokens = {sample.getTokenIdsList().stream().mapToLong(Integer::longValue).toArray()};
        try {
            StudentScores scores = StudentScores.newBuilder()
                    .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(jobId))
                    .setRequestId(sample.getRequestId())
                    .setExampleId(sample.getExampleId())
                    .setStudentStep(sample.getStudentStep())
                    .setDistribution(scorer.distributions(source, tokens).get(0))
                    .build();
            int times = copies;
            for (int copy = 0; copy < times; copy++) {
                producer.send(new ProducerRecord<>(Topics.STUDENT_SCORES, record.key(),
                        WireCodecs.STUDENT_SCORES.encode(scores)));
                answers.incrementAndGet();
            }
        } catch (BadInputException e) {
            DeadLetter letter = DeadLetter.newBuilder()
                    .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(jobId))
                    .setService("teacher")
                    .setSourceTopic(record.topic())
                    .setSourcePartition(record.partition())
                    .setSourceOffset(record.offset())
                    .setReason(e.getMessage())
                    .setErrorClass(e.getClass().getName())
                    .build();
            producer.send(new ProducerRecord<>(Topics.DEAD_LETTERS, record.key(), WireCodecs.DEAD_LETTER.encode(letter)));
        }
    }

    /** From now on one score per answered request. */
    public void answerOnce() {
        copies = 1;
    }

    /** Scores published so far, copies included. */
    public long answers() {
        return answers.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
        samples.close();
        producer.close();
    }
}
