package io.kdflow.evaluator.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.compute.FlopsCounter;
import io.kdflow.core.decoding.GenerationInput;
import io.kdflow.core.decoding.GenerationSettings;
import io.kdflow.core.decoding.Generator;
import io.kdflow.core.metrics.TaskMetrics;
import io.kdflow.core.model.CausalLm;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.tokenizer.HfTokenizer;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.DeadLetter;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.EvaluationSpec;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.RecordHeader;
import io.kdflow.core.wire.proto.Split;
import io.kdflow.core.wire.proto.TaskSpec;
import io.kdflow.evaluator.testing.TestCheckpoints;
import io.kdflow.kafka.testing.InjectKafkaTestClient;
import io.kdflow.kafka.testing.KafkaBrokerResource;
import io.kdflow.kafka.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The evaluator against a real broker with the real bart-tiny copy model: checkpoint events in, one report per
 * checkpoint and split out, scores equal to TaskMetrics on transformers' own beam-search outputs, gauges at
 * /q/metrics, redeliveries ignored, bad checkpoints dead-lettered, gap closed against teacher and baseline; a
 * gpt2-tiny checkpoint scored on its continuations of the job's prompt.
 * Job ids are fresh per run: the evaluator's report log (target/evaluator-data) outlives a run.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class EvaluatorServiceTest {

    private static List<String> texts;
    private static List<String> hfBeamTexts;

    @InjectKafkaTestClient
    KafkaTestClient kafka;

    @BeforeAll
    static void readFixture() throws IOException {
        try (InputStream in = TestCheckpoints.resource("hf-tiny/meta.json")) {
            JsonNode bart = new ObjectMapper().readTree(in).get("models").get("bart-tiny");
            texts = new ArrayList<>();
            bart.get("test_texts").forEach(text -> texts.add(text.asText()));
            // num_return_sequences 2: entries 0, 2, 4 are each input's best beam.
            JsonNode beams = bart.get("generate").get("beam4").get("text");
            hfBeamTexts = List.of(beams.get(0).asText(), beams.get(2).asText(), beams.get(4).asText());
        }
    }

    @Test
    void shouldReportBeamSearchScoresComputeMetricsAndGauges() throws IOException {
        String job = fresh("copy");
        send(TestCheckpoints.eventFor(job, ModelRole.STUDENT, 10, TestCheckpoints.copyBartTiny(job, "step-10")));

        List<EvalReport> reports = awaitReports(job, 2);

        EvalReport dev = only(reports, Split.DEV);
        EvalReport test = only(reports, Split.TEST);
        double expectedDevBleu = TaskMetrics.score(hfBeamTexts, references(texts), TaskMetrics.Options.paperProtocol())
                .bleu().score();
        double expectedTestBleu = TaskMetrics.score(hfBeamTexts.subList(0, 2), references(texts.subList(0, 2)),
                TaskMetrics.Options.paperProtocol()).bleu().score();
        assertThat(dev.getMetricsMap().get("bleu")).isEqualTo(expectedDevBleu).isGreaterThan(99.99);
        assertThat(test.getMetricsMap().get("bleu")).isEqualTo(expectedTestBleu);
        assertThat(dev.getNumExamples()).isEqualTo(3);
        assertThat(test.getNumExamples()).isEqualTo(2);
        assertThat(dev.getBestSoFar()).isTrue();
        assertThat(dev.getMetricsMap()).containsKeys("chrf", "ter", "rouge", "rouge1_f", "rouge2_f", "rougeL_f",
                "latency_ms_p50", "latency_ms_p90", "throughput_per_min", "peak_memory_bytes")
                .containsEntry("params", 323_200.0)
                .containsEntry("flops", (double) FlopsCounter.forward(
                        ModelConfigs.read(TestCheckpoints.directory(job, "step-10")), 8, 4).flops())
                .containsEntry("dropped_pairs", 0.0);
        assertThat(dev.getMetricsMap().get("nll")).isPositive().isLessThan(1.0); // a trained copy model
        assertThat(dev.getMetricsMap().get("latency_ms_p90")).isGreaterThanOrEqualTo(dev.getMetricsMap().get("latency_ms_p50"));
        assertThat(dev.getHeader().getProvenance().getDecoding().getNumBeams()).isEqualTo(4);
        assertThat(dev.getCheckpointUri()).isEqualTo(TestCheckpoints.uri(job, "step-10"));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("kdflow_evaluator_metric{job=\"" + job + "\",metric=\"bleu\",role=\"student\","
                + "split=\"dev\"} " + expectedDevBleu);
        assertThat(metrics).contains("kdflow_evaluator_metric{job=\"" + job + "\",metric=\"params\",role=\"student\","
                + "split=\"test\"} 323200.0");
        assertThat(metrics).contains("kdflow_evaluator_best{job=\"" + job + "\",metric=\"bleu\",role=\"student\"} "
                + expectedDevBleu);
        assertThat(metrics).contains("kdflow_evaluator_best_step{job=\"" + job + "\",role=\"student\"} 10.0");
    }

    @Test
    void shouldNotReportARedeliveredCheckpointTwice() throws IOException {
        String job = fresh("redeliver");
        CheckpointEvent first = TestCheckpoints.eventFor(job, ModelRole.STUDENT, 1,
                TestCheckpoints.copyBartTiny(job, "step-1"));
        send(first);
        send(first);
        send(TestCheckpoints.eventFor(job, ModelRole.STUDENT, 2, TestCheckpoints.copyBartTiny(job, "step-2")));

        List<EvalReport> reports = awaitReports(job, 4); // the step-2 reports arrive after every step-1 copy

        assertThat(reports.stream().filter(r -> r.getStep() == 1)).hasSize(2);
        assertThat(only(reports.stream().filter(r -> r.getStep() == 2).toList(), Split.DEV).getBestSoFar())
                .as("an equal score is not an improvement").isFalse();
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kdflow_evaluator_records_total{outcome=\"duplicate\"}"));
    }

    @Test
    void shouldDeadLetterBadRecordsAndCheckpointsAndKeepServing() throws IOException {
        String job = fresh("bad");
        kafka.send(Topics.CHECKPOINTS, (job + "/student").getBytes(StandardCharsets.UTF_8),
                "not protobuf".getBytes(StandardCharsets.UTF_8)); // 'n' = field 13 with the invalid wire type 6
        String weightsOnly = TestCheckpoints.uri(job, "weights-only");
        try (InputStream weights = TestCheckpoints.resource("hf-tiny/bart-tiny/model.safetensors")) {
            Files.copy(weights, TestCheckpoints.directory(job, "weights-only").resolve("model.safetensors"));
        }
        send(withJob(TestCheckpoints.eventFor(job, ModelRole.STUDENT, 5, weightsOnly), job + "-noconfig"));
        CheckpointEvent tampered = TestCheckpoints.eventFor(job, ModelRole.STUDENT, 6,
                TestCheckpoints.copyBartTiny(job, "step-6"));
        Files.writeString(TestCheckpoints.directory(job, "step-6").resolve("config.json"), "{}");
        send(withJob(tampered, job + "-tampered"));
        send(TestCheckpoints.eventFor(job, ModelRole.STUDENT, 7, TestCheckpoints.copyBartTiny(job, "step-7")));

        assertThat(deadLetterOf(job).getReason()).contains("not a valid protobuf encoding (12 bytes)");
        assertThat(deadLetterOf(job + "-noconfig").getReason()).contains("has no config.json")
                .contains("needs a Hugging Face model directory");
        assertThat(deadLetterOf(job + "-tampered").getReason())
                .contains("file config.json differs from its manifest entry");
        assertThat(awaitReports(job, 2)).extracting(EvalReport::getStep).containsOnly(7L);
        given().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
    }

    @Test
    void shouldComputeTheGapClosedAgainstTeacherAndBaseline() throws IOException {
        String job = fresh("gap");
        JobSpec spec = JobSpec.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setTask("copy")
                .setTeacherUri(TestCheckpoints.copyBartTiny(job, "teacher"))
                .setEvaluation(EvaluationSpec.newBuilder().setSelectionMetric("bleu").setMaxDevExamples(2))
                .build();
        kafka.send(Topics.JOBS, job.getBytes(StandardCharsets.UTF_8), WireCodecs.JOB_SPEC.encode(spec));
        EvalReport teacher = only(awaitReports(job, 2), Split.DEV);
        send(TestCheckpoints.eventFor(job, ModelRole.STUDENT_BASELINE, 3, TestCheckpoints.prunedBartTiny(job, "base-3")));
        EvalReport baseline = only(awaitReports(job, 4).stream()
                .filter(r -> r.getRole() == ModelRole.STUDENT_BASELINE).toList(), Split.DEV);
        send(TestCheckpoints.eventFor(job, ModelRole.STUDENT, 3, TestCheckpoints.copyBartTiny(job, "kd-3")));
        EvalReport student = only(awaitReports(job, 6).stream()
                .filter(r -> r.getRole() == ModelRole.STUDENT).toList(), Split.DEV);

        assertThat(teacher.getRole()).isEqualTo(ModelRole.TEACHER);
        assertThat(teacher.getStep()).isZero();
        assertThat(teacher.getNumExamples()).as("the job's max_dev_examples").isEqualTo(2);
        double t = teacher.getMetricsMap().get("bleu");
        double s = baseline.getMetricsMap().get("bleu");
        double kd = student.getMetricsMap().get("bleu");
        assertThat(s).as("the pruned baseline is worse").isLessThan(t);
        assertThat(student.getMetricsMap().get("gap_closed_bleu")).isCloseTo(100 * (kd - s) / (t - s), within(1e-9))
                .isCloseTo(100.0, within(1e-9));
        assertThat(baseline.getMetricsMap()).doesNotContainKey("gap_closed_bleu");
        given().get("/q/metrics").then().statusCode(200).body(containsString(
                "kdflow_evaluator_metric{job=\"" + job + "\",metric=\"gap_closed_bleu\",role=\"student\",split=\"dev\"}"));
    }

    @Test
    void shouldTakeTheJobsDataAndSettingsFromItsSpecAndDeadLetterABadSetting() throws IOException {
        String job = fresh("spec");
        Files.copy(Path.of("src/test/resources/copy-task/dev.jsonl"),
                TestCheckpoints.directory(job, "data").resolve("dev.jsonl"));
        sendSpec(job, TestCheckpoints.copyBartTiny(job, "teacher"), EvaluationSpec.newBuilder()
                .setDevDataUri(TestCheckpoints.uri(job, "data") + "/dev.jsonl").setMaxDevExamples(1).setNumBeams(2)
                .setMeasureLatency(false).setMeasureThroughput(false));
        awaitReports(job, 2); // the teacher's: the spec is stored
        send(TestCheckpoints.eventFor(job, ModelRole.STUDENT, 1, TestCheckpoints.copyBartTiny(job, "step-1")));

        List<EvalReport> reports = awaitReports(job, 4).stream().filter(r -> r.getRole() == ModelRole.STUDENT).toList();
        EvalReport dev = only(reports, Split.DEV);
        assertThat(dev.getNumExamples()).as("the spec's max_dev_examples on its dev set").isEqualTo(1);
        assertThat(only(reports, Split.TEST).getNumExamples()).as("the config's default test set").isEqualTo(2);
        assertThat(dev.getHeader().getProvenance().getDecoding().getNumBeams()).isEqualTo(2);
        assertThat(dev.getMetricsMap()).as("the spec switches latency and throughput off")
                .doesNotContainKeys("latency_ms_p50", "throughput_per_min").containsKey("params");

        String bad = fresh("blue");
        sendSpec(bad, "", EvaluationSpec.newBuilder().setSelectionMetric("blue"));
        String reason = "JobSpec.evaluation.selection_metric: 'blue' is unknown (one of bleu, chrf, ter, rouge,";
        assertThat(WireCodecs.DEAD_LETTER.decode(kafka.awaitRecord(Topics.DEAD_LETTERS,
                r -> keyOf(r).equals(bad)).value()).getReason()).contains(reason);
        send(TestCheckpoints.eventFor(bad, ModelRole.STUDENT, 1, TestCheckpoints.copyBartTiny(bad, "step-1")));
        assertThat(deadLetterOf(bad).getReason()).as("and its checkpoints").contains(reason);
    }

    @Test
    void shouldEvaluateOnlyFinalCheckpointsOnTheJobsTaskFilesAndATeacherIdentifiedByItsWeights() throws IOException {
        String job = fresh("task");
        Path task = Path.of("src/test/resources/copy-task").toAbsolutePath();
        JobSpec spec = JobSpec.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setTask("copy")
                .setTaskSpec(TaskSpec.newBuilder().setTrainUri(task.resolve("dev.jsonl").toString())
                        .setDevUri(task.resolve("dev.jsonl").toString()).setTestUri(task.resolve("test.jsonl").toString())
                        .setMaxDevExamples(2).setMaxTestExamples(1))
                .setEvaluation(EvaluationSpec.newBuilder().setMeasureLatency(false).setMeasureThroughput(false))
                .build();
        kafka.send(Topics.JOBS, job.getBytes(StandardCharsets.UTF_8), WireCodecs.JOB_SPEC.encode(spec));
        String teacherUri = TestCheckpoints.copyBartTiny(job, "teacher");
        CheckpointEvent teacherReady = CheckpointEvent.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setRole(ModelRole.TEACHER).setUri(teacherUri).setFinal(true)
                .setSha256(io.kdflow.core.store.ModelStore.sha256(TestCheckpoints.directory(job, "teacher")
                        .resolve("model.safetensors")))
                .build();
        send(teacherReady);
        List<EvalReport> teacher = awaitReports(job, 2);
        send(TestCheckpoints.eventFor(job, ModelRole.STUDENT, 4, TestCheckpoints.copyBartTiny(job, "step-4")).toBuilder()
                .setFinal(false).setPhase("kd").putMetrics("train_loss", 1.5).putMetrics("dev_bleu", 12.5).build());
        send(TestCheckpoints.eventFor(job, ModelRole.STUDENT, 8, TestCheckpoints.copyBartTiny(job, "step-8")));

        List<EvalReport> reports = awaitReports(job, 4);

        assertThat(only(teacher, Split.DEV).getNumExamples()).as("task_spec.max_dev_examples").isEqualTo(2);
        assertThat(only(teacher, Split.TEST).getNumExamples()).as("task_spec.max_test_examples").isEqualTo(1);
        assertThat(only(teacher, Split.DEV).getRole()).isEqualTo(ModelRole.TEACHER);
        assertThat(reports.stream().filter(r -> r.getRole() == ModelRole.STUDENT).map(EvalReport::getStep))
                .as("only the final student is evaluated").containsOnly(8L).hasSize(2);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("kdflow_evaluator_metric{job=\"" + job + "\",metric=\"dev_bleu\",role=\"student\","
                + "split=\"trainer\"} 12.5");
    }

    @Test
    void shouldEvaluateAGpt2CheckpointOnItsContinuationsOfTheJobsPrompt() throws Exception {
        String job = fresh("gpt2");
        String prompt = "Copy: {source} =";
        JobSpec spec = JobSpec.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setTask("copy")
                .setTeacherUri(TestCheckpoints.copyGpt2Tiny(job, "teacher"))
                .setTaskSpec(TaskSpec.newBuilder().setTrainUri("train.jsonl").setPrompt(prompt))
                .setEvaluation(EvaluationSpec.newBuilder().setNumBeams(2).setMaxNewTokens(12)
                        .setMeasureLatency(false).setMeasureThroughput(false))
                .build();
        kafka.send(Topics.JOBS, job.getBytes(StandardCharsets.UTF_8), WireCodecs.JOB_SPEC.encode(spec));

        EvalReport dev = only(awaitReports(job, 2), Split.DEV);

        List<String> sources = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/copy-task/dev.jsonl"))) {
            sources.add(new ObjectMapper().readTree(line).get("source").asText());
        }
        List<String> continuations = new ArrayList<>();
        double nll = 0;
        int tokens = 0;
        Path directory = TestCheckpoints.directory(job, "teacher");
        try (NDManager manager = NDManager.newBaseManager();
                CausalLm model = PretrainedModels.loadCausalLm(directory, manager);
                HfTokenizer tokenizer = HfTokenizer.load(directory)) {
            Generator generator = new Generator(model, GenerationConfig.readOrDefault(directory, model.config()));
            GenerationSettings twoBeams = generator.defaultSettings().toBuilder().numBeams(2).maxNewTokens(12).build();
            for (String source : sources) {
                long[] promptIds = tokenizer.encodeWithoutSpecialTokens(prompt.replace("{source}", source));
                long[] continuation = generator.generate(List.of(new GenerationInput(promptIds, 0)), twoBeams).get(0)
                        .best().tokens();
                continuations.add(tokenizer.decode(continuation, true));
                long[] target = tokenizer.encodeWithoutSpecialTokens(source); // the copy task's reference, + EOS
                long[] joined = Arrays.copyOf(promptIds, promptIds.length + target.length + 1);
                System.arraycopy(target, 0, joined, promptIds.length, target.length);
                joined[joined.length - 1] = model.config().specialTokens().firstEos();
                try (NDManager row = manager.newSubManager()) {
                    NDArray logProbs = model.logits(row.create(joined).expandDims(0), null, RunMode.INFERENCE)
                            .squeeze(0).logSoftmax(1); // (P + T, V)
                    for (int j = promptIds.length; j < joined.length; j++) {
                        nll -= logProbs.getFloat(j - 1, joined[j]);
                        tokens++;
                    }
                }
            }
        }
        assertThat(continuations).as("continuations, not echoes of the prompt").noneMatch(c -> c.startsWith("Copy:"));
        assertThat(dev.getRole()).isEqualTo(ModelRole.TEACHER);
        assertThat(dev.getNumExamples()).isEqualTo(3);
        assertThat(dev.getMetricsMap().get("bleu")).isEqualTo(TaskMetrics.score(continuations, references(sources),
                TaskMetrics.Options.paperProtocol()).bleu().score());
        assertThat(dev.getMetricsMap().get("nll")).isCloseTo(nll / tokens, within(1e-5));
        assertThat(dev.getMetricsMap()).containsKeys("params", "flops").doesNotContainKey("latency_ms_p50");
        assertThat(dev.getHeader().getProvenance().getDecoding().getNumBeams()).isEqualTo(2);
    }

    private void sendSpec(String job, String teacherUri, EvaluationSpec.Builder evaluation) {
        JobSpec spec = JobSpec.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setTask("copy")
                .setTeacherUri(teacherUri)
                .setEvaluation(evaluation)
                .build();
        kafka.send(Topics.JOBS, job.getBytes(StandardCharsets.UTF_8), WireCodecs.JOB_SPEC.encode(spec));
    }

    private static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<List<String>> references(List<String> texts) {
        return texts.stream().map(List::of).toList();
    }

    private static EvalReport only(List<EvalReport> reports, Split split) {
        List<EvalReport> matching = reports.stream().filter(r -> r.getSplit() == split).toList();
        assertThat(matching).as(split + " reports").hasSize(1);
        return matching.get(0);
    }

    private static CheckpointEvent withJob(CheckpointEvent event, String job) {
        return event.toBuilder().setHeader(event.getHeader().toBuilder().setJobId(job)).build();
    }

    private DeadLetter deadLetterOf(String job) {
        return WireCodecs.DEAD_LETTER.decode(kafka.awaitRecord(Topics.DEAD_LETTERS,
                r -> keyOf(r).equals(job + "/student")).value());
    }

    /** Every report of {@code job} on the topic, once at least {@code count} arrived. */
    private List<EvalReport> awaitReports(String job, int count) {
        return kafka.awaitMatching(Topics.EVAL_REPORTS, count,
                        r -> WireCodecs.EVAL_REPORT.decode(r.value()).getHeader().getJobId().equals(job),
                        java.time.Duration.ofSeconds(90))
                .stream().map(r -> WireCodecs.EVAL_REPORT.decode(r.value())).toList();
    }

    private void send(CheckpointEvent event) {
        String key = Topics.checkpointKey(event.getHeader().getJobId(), event.getRole());
        kafka.send(Topics.CHECKPOINTS, key.getBytes(StandardCharsets.UTF_8), WireCodecs.CHECKPOINT_EVENT.encode(event));
    }

    private static String keyOf(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    }
}
