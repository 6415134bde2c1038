package io.kdflow.sampler.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.local.StreamingSteps;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.pt.PtInput;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.PseudoTargetSpec;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.SourceExample;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TrainingSpec;
import io.kdflow.kafka.testing.InjectKafkaTestClient;
import io.kdflow.kafka.testing.KafkaBrokerResource;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * pt-sampler against a real broker with the real bart-tiny teacher: job specs, teacher-ready events and examples
 * in; GOLD and TEACHER records out, PT-index-major and byte-equal to kd-core's generator; examples held until
 * their job's spec arrives (at most 3 in the test profile); bad records dead-lettered.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class SourceExampleProcessorTest {

    /** Jobs seen by the sampler outlive a test run only on the broker: each run uses fresh job ids here. */
    private static final String RUN = Long.toString(System.nanoTime(), 36);

    /** The sampler's {@code %test.sampler.model-store}. */
    private static final Path STORE = Path.of("target/test-model-store");

    private static final Duration GENERATION = Duration.ofMinutes(3);

    @InjectKafkaTestClient
    KafkaTestClient kafka;

    @Test
    void shouldPublishGoldAndEveryPtIndexOfEveryExampleInOrderEqualToKdCore() throws Exception {
        String job = "job-pt-" + RUN;
        JobSpec spec = spec(job, PseudoTargetSpec.newBuilder().setNumPseudoTargets(2)
                .setMode(PseudoTargetSpec.Mode.SAMPLING).setBatchSize(2).setDistributionTopK(8)
                .setQuantization(TeacherDistribution.Quantization.FP16).build());
        kafka.send(Topics.JOBS, bytes(job), WireCodecs.JOB_SPEC.encode(spec));
        List<PtInput> inputs = new ArrayList<>();
        String[] sources = {"Thou art a villain.", "Good morrow, cousin.", "I pray thee, stay.",
            "What say you, sir?", "Hence, begone!"};
        for (int i = 0; i < sources.length; i++) {
            SourceExample example = example(job, "ex-" + i, sources[i], "Target " + i);
            inputs.add(PtInput.labeled("ex-" + i, sources[i], "Target " + i));
            // One partition: the sampler receives the examples in file order and cuts the batches kd-core cuts.
            kafka.send(new ProducerRecord<>(Topics.EXAMPLES, 0, key(example), WireCodecs.SOURCE_EXAMPLE.encode(example)));
        }
        Path teacher = sendTeacher(job);

        List<ConsumerRecord<byte[], byte[]>> published = kafka.awaitMatching(Topics.PSEUDO_TARGETS, 15,
                r -> keyOf(r.key()).startsWith(job + "/"), GENERATION);

        assertThat(published).hasSize(15);
        Map<String, byte[]> byIdentity = new HashMap<>();
        long lastPt0 = Long.MIN_VALUE;
        long firstPt1 = Long.MAX_VALUE;
        for (ConsumerRecord<byte[], byte[]> record : published) {
            PseudoTarget target = WireCodecs.PSEUDO_TARGET.decode(record.value());
            assertThat(keyOf(record.key())).isEqualTo(job + "/" + target.getExampleId());
            assertThat(byIdentity.put(identity(target), record.value())).as(identity(target)).isNull();
            if (target.getPtIndex() == 1) {
                firstPt1 = Math.min(firstPt1, record.timestamp());
            } else {
                lastPt0 = Math.max(lastPt0, record.timestamp());
            }
        }
        assertThat(byIdentity.keySet().stream().filter(k -> k.contains("/GOLD/"))).hasSize(5);
        assertThat(byIdentity.keySet().stream().filter(k -> k.contains("/TEACHER/"))).hasSize(10);
        assertThat(lastPt0).as("every GOLD and PT 0 record is published before any PT 1").isLessThanOrEqualTo(firstPt1);

        List<PseudoTarget> expected = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory model = ModelDirectory.load(teacher, manager)) {
            StreamingSteps.ptGenerator(JobSettings.resolve(spec), model).run(inputs, expected::add, snapshot -> { });
        }
        assertThat(expected).hasSize(15);
        for (PseudoTarget record : expected) {
            assertThat(byIdentity.get(identity(record))).as(identity(record))
                    .isEqualTo(WireCodecs.PSEUDO_TARGET.encode(record));
        }
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kdflow_sampler_pseudo_targets_total{kind=\"teacher\"}"))
                .body(containsString("kdflow_sampler_pseudo_target_tokens_total"))
                .body(containsString("kdflow_sampler_batch_latency_seconds_count"))
                .body(containsString("kdflow_sampler_pending_examples"));
    }

    @Test
    void shouldDeadLetterMalformedBytesAnExampleOfAnotherSplitAndABadChecksumAndKeepServing() throws Exception {
        String job = "job-bad-" + RUN;
        kafka.send(Topics.JOBS, bytes(job), WireCodecs.JOB_SPEC.encode(spec(job,
                PseudoTargetSpec.newBuilder().setNumPseudoTargets(1).build())));
        byte[] garbage = "not a protobuf record".getBytes(StandardCharsets.UTF_8);
        kafka.send(Topics.EXAMPLES, bytes(job + "/ex-9"), garbage);
        SourceExample dev = example(job, "ex-dev", "Good even.", "Good evening.").toBuilder().setSplit(Split.DEV).build();
        kafka.send(Topics.EXAMPLES, key(dev), WireCodecs.SOURCE_EXAMPLE.encode(dev));
        CheckpointEvent wrongSum = CheckpointEvent.newBuilder().setHeader(header(job)).setRole(ModelRole.TEACHER)
                .setFinal(true).setUri("store:" + STORE.relativize(copyTeacher(job + "-wrong")))
                .setSha256("0".repeat(64)).build();
        kafka.send(Topics.CHECKPOINTS, bytes(job + "/teacher"), WireCodecs.CHECKPOINT_EVENT.encode(wrongSum));
        SourceExample next = example(job, "ex-10", "Good morrow.", "Good morning.");
        kafka.send(Topics.EXAMPLES, key(next), WireCodecs.SOURCE_EXAMPLE.encode(next));
        sendTeacher(job);

        DeadLetter letter = WireCodecs.DEAD_LETTER.decode(
                kafka.awaitRecord(Topics.DEAD_LETTERS, r -> keyOf(r.key()).equals(job + "/ex-9")).value());
        assertThat(letter.getService()).isEqualTo("sampler");
        assertThat(letter.getSourceTopic()).isEqualTo(Topics.EXAMPLES);
        assertThat(letter.getValue().toByteArray()).isEqualTo(garbage);
        assertThat(letter.getReason()).startsWith("SourceExample").contains("not a valid protobuf encoding");
        DeadLetter split = WireCodecs.DEAD_LETTER.decode(
                kafka.awaitRecord(Topics.DEAD_LETTERS, r -> keyOf(r.key()).equals(job + "/ex-dev")).value());
        assertThat(split.getReason()).isEqualTo("SourceExample.split: DEV of example ex-dev is not allowed (the"
                + " sampler writes pseudo-targets for TRAIN or UNLABELED inputs)");
        DeadLetter checksum = WireCodecs.DEAD_LETTER.decode(kafka.awaitRecord(Topics.DEAD_LETTERS,
                r -> keyOf(r.key()).equals(job + "/teacher")).value());
        assertThat(checksum.getSourceTopic()).isEqualTo(Topics.CHECKPOINTS);
        assertThat(checksum.getReason()).startsWith("CheckpointEvent.sha256: " + "0".repeat(64) + " does not match");
        List<PseudoTarget> after = kafka.awaitMatching(Topics.PSEUDO_TARGETS, 2,
                r -> keyOf(r.key()).equals(job + "/ex-10"), GENERATION).stream()
                .map(r -> WireCodecs.PSEUDO_TARGET.decode(r.value())).toList();
        assertThat(after).extracting(PseudoTarget::getKind)
                .containsExactlyInAnyOrder(PseudoTarget.Kind.GOLD, PseudoTarget.Kind.TEACHER);
        assertThat(after).filteredOn(t -> t.getKind() == PseudoTarget.Kind.GOLD).extracting(PseudoTarget::getText)
                .containsExactly("Good morning.");

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kdflow_sampler_records_total{outcome=\"dead_letter\"}"))
                .body(containsString("kdflow_sampler_records_total{outcome=\"queued\"}"))
                .body(containsString("kdflow_sampler_records_total{outcome=\"teacher_ready\"}"));
    }

    @Test
    void shouldHoldExamplesUntilTheirJobSpecArrivesUpToTheBound() throws Exception {
        String job = "job-wait-" + RUN;
        for (int i = 0; i < 4; i++) {
            SourceExample example = example(job, "w" + i, "Source " + i, "Target " + i);
            kafka.send(Topics.EXAMPLES, key(example), WireCodecs.SOURCE_EXAMPLE.encode(example));
        }

        // Partitions are consumed in no fixed order: whichever example comes fourth finds the bound reached.
        ConsumerRecord<byte[], byte[]> rejected = kafka.awaitRecord(Topics.DEAD_LETTERS,
                r -> keyOf(r.key()).startsWith(job + "/w"));
        assertThat(WireCodecs.DEAD_LETTER.decode(rejected.value()).getReason()).isEqualTo("no JobSpec of job " + job
                + " on kdflow.jobs.v1 yet, and 3 examples already wait for theirs (sampler.max-held-examples=3)");

        kafka.send(Topics.JOBS, bytes(job), WireCodecs.JOB_SPEC.encode(spec(job,
                PseudoTargetSpec.newBuilder().setNumPseudoTargets(1).build())));
        sendTeacher(job);
        for (int i = 0; i < 4; i++) {
            String id = job + "/w" + i;
            if (!id.equals(keyOf(rejected.key()))) {
                PseudoTarget target = WireCodecs.PSEUDO_TARGET.decode(kafka.awaitMatching(Topics.PSEUDO_TARGETS, 1,
                        r -> keyOf(r.key()).equals(id) && WireCodecs.PSEUDO_TARGET.decode(r.value()).getKind()
                                == PseudoTarget.Kind.GOLD, GENERATION).get(0).value());
                assertThat(target.getText()).isEqualTo("Target " + i);
            }
        }
    }

    @Test
    void shouldDeadLetterABadJobSpecWithTheFieldPath() {
        String job = "job-bad-spec-" + RUN;
        kafka.send(Topics.JOBS, bytes(job), WireCodecs.JOB_SPEC.encode(spec(job,
                PseudoTargetSpec.newBuilder().setNumPseudoTargets(65).build())));

        DeadLetter letter = WireCodecs.DEAD_LETTER.decode(
                kafka.awaitRecord(Topics.DEAD_LETTERS, r -> keyOf(r.key()).equals(job)).value());
        assertThat(letter.getSourceTopic()).isEqualTo(Topics.JOBS);
        assertThat(letter.getReason())
                .isEqualTo("JobSpec.pseudo_targets.num_pseudo_targets: 65 is not allowed (must be 0..64)");
    }

    @Test
    void shouldReportHealthy() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
        given().get("/q/health/live").then().statusCode(200).body(containsString("pt-sampler worker"));
    }

    /** Copies bart-tiny into the store and publishes the job's teacher-ready event; returns the directory. */
    private Path sendTeacher(String job) {
        Path directory = copyTeacher(job);
        CheckpointEvent event = CheckpointEvent.newBuilder()
                .setHeader(header(job))
                .setRole(ModelRole.TEACHER)
                .setFinal(true)
                .setUri("store:" + STORE.relativize(directory))
                .setSha256(ModelStore.sha256(directory.resolve("model.safetensors")))
                .build();
        kafka.send(Topics.CHECKPOINTS, bytes(Topics.checkpointKey(job, ModelRole.TEACHER)),
                WireCodecs.CHECKPOINT_EVENT.encode(event));
        return directory;
    }

    private static Path copyTeacher(String name) {
        return HfTiny.copyModel(HfTiny.BART, STORE.resolve("teachers").resolve(name));
    }

    private static JobSpec spec(String job, PseudoTargetSpec pseudoTargets) {
        return JobSpec.newBuilder()
                .setHeader(header(job))
                .setTask("style")
                .setPseudoTargets(pseudoTargets)
                .setTraining(TrainingSpec.newBuilder().setMaxSourceTokens(48).setMaxTargetTokens(16))
                .build();
    }

    private static RecordHeader header(String job) {
        return RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job).build();
    }

    private static SourceExample example(String job, String id, String source, String target) {
        return SourceExample.newBuilder()
                .setHeader(header(job))
                .setExampleId(id)
                .setSplit(Split.TRAIN)
                .setSource(source)
                .addReferences(target)
                .build();
    }

    private static String identity(PseudoTarget target) {
        return target.getExampleId() + "/" + target.getKind() + "/" + target.getPtIndex();
    }

    private static byte[] key(SourceExample example) {
        return bytes(Topics.exampleKey(example.getHeader().getJobId(), example.getExampleId()));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String keyOf(byte[] key) {
        return key == null ? "" : new String(key, StandardCharsets.UTF_8);
    }
}
