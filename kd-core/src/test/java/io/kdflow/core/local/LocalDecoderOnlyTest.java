package io.kdflow.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.eval.EvalExample;
import io.kdflow.core.eval.EvaluationSettings;
import io.kdflow.core.eval.MetricNames;
import io.kdflow.core.eval.SplitEvaluator;
import io.kdflow.core.eval.SplitResult;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.pt.PseudoTargetFile;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distill --local} with a decoder-only pair: gpt2-tiny as the PRETRAINED teacher, its last layer as the
 * student, logit KD on gold and one sampled PT per input, every phase on the task's prompt, latency measured.
 */
class LocalDecoderOnlyTest {

    private static final String PROMPT = "Modern: {source} => Shakespeare:";
    private static final int MAX_SOURCE = 24;
    private static final int MAX_TARGET = 12;

    @TempDir
    static Path temp;

    private static int threadsBefore;
    private static Path folder;
    private static JobSpec spec;
    private static LocalResult result;

    @BeforeAll
    static void run() {
        Engine.getInstance();
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        folder = TinyJob.prepare(temp.resolve("job"));
        HfTiny.copyModel(HfTiny.GPT2, folder);
        spec = TinyJob.spec(folder, yaml("source: pretrained"));
        result = new LocalDistillation(spec, LocalOptions.of(temp.resolve("cache")).withRunDir(temp.resolve("run")),
                LocalProgress.NONE).run();
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threadsBefore);
    }

    static String yaml(String teacherSource) {
        return """
                name: tiny-gpt2
                seed: 7
                threads: 1
                task:
                  train: train.jsonl
                  dev: dev.jsonl
                  test: test.jsonl
                  unlabeled: unlabeled.jsonl
                  prompt: "%s"
                  max_source_tokens: %d
                  max_target_tokens: %d
                teacher:
                  %s
                  dir: gpt2-tiny
                student:
                  source: pruned_teacher
                  decoder_layers: [-1]
                objective:
                  type: logit_kd
                pseudo_targets:
                  k: 1
                  mode: sampling
                  unlabeled: true
                  distribution_top_k: 8
                  batch_size: 8
                optimization:
                  epochs: 1
                  batch_size: 4
                  learning_rate: 1e-3
                  warmup_steps: 1
                  checkpoint_every_steps: 2
                  final_finetune_epochs: 1
                baseline:
                  epochs: 1
                evaluation:
                  selection_metric: nll
                  num_beams: 1
                  batch_size: 8
                  measure_latency: true
                """.formatted(PROMPT, MAX_SOURCE, MAX_TARGET, teacherSource);
    }

    @Test
    void shouldReportEveryRoleOfTheDecoderOnlyJob() {
        assertThat(result.roles()).extracting(RoleResult::role)
                .containsExactly(Role.COPY_BASELINE, Role.TEACHER, Role.CE_BASELINE, Role.KD_STUDENT);
        RoleResult teacher = result.role(Role.TEACHER);
        RoleResult student = result.role(Role.KD_STUDENT);
        assertThat(teacher.test()).containsKeys(MetricNames.BLEU, MetricNames.NLL, MetricNames.PARAMS,
                MetricNames.LATENCY_MS_P50);
        assertThat(student.test()).containsKey(MetricNames.LATENCY_MS_P50);
        assertThat(student.test().get(MetricNames.PARAMS)).as("one of two GPT-2 blocks")
                .isLessThan(teacher.test().get(MetricNames.PARAMS))
                .isEqualTo(result.role(Role.CE_BASELINE).test().get(MetricNames.PARAMS));
        // 12 gold + 16 PTs (12 labeled, 4 unlabeled inputs) = 28 examples, 7 steps of 4
        assertThat(StepLog.losses(temp.resolve("run/kd/steps.jsonl"))).hasSize(7).allMatch(Double::isFinite);
        assertThat(result.gapClosedTest()).containsKey("gap_closed_nll");
    }

    @Test
    void shouldStorePseudoTargetsThatHoldTheContinuationOnly() throws Exception {
        List<PseudoTarget> records = PseudoTargetFile.readAll(Path.of(result.pseudoTargets().orElseThrow().file()));
        LocalData data = LocalData.read(JobSettings.resolve(spec).task().orElseThrow());
        Map<String, String> sources = data.train().stream()
                .collect(Collectors.toMap(EvalExample::id, EvalExample::source));
        data.unlabeled().forEach(input -> sources.put(input.exampleId(), input.source()));
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory teacher = ModelDirectory.load(folder.resolve(HfTiny.GPT2), manager)) {
            TextEncoding encoding = teacher.textEncoding();
            assertThat(records.stream().filter(r -> r.getKind() == PseudoTarget.Kind.TEACHER)).hasSize(16);
            for (PseudoTarget record : records) {
                long[] prompt = encoding.input(sources.get(record.getExampleId()), new PromptTemplate(PROMPT),
                        MAX_SOURCE);
                assertThat(record.getSourceTokenIdsList().stream().mapToLong(Integer::longValue).toArray())
                        .as("the prompt of %s", record.getExampleId()).containsExactly(prompt);
                int[] tokens = record.getTokenIdsList().stream().mapToInt(Integer::intValue).toArray();
                assertThat(tokens.length).isBetween(1, MAX_TARGET);
                assertThat(record.getDistribution().getPositions()).as("one row per continuation token")
                        .isEqualTo(tokens.length);
                assertThat(record.getText()).doesNotContain("Modern:").doesNotContain("=> Shakespeare:");
                if (tokens.length >= prompt.length) {
                    assertThat(Arrays.copyOf(tokens, prompt.length)).isNotEqualTo(
                            Arrays.stream(prompt).mapToInt(id -> (int) id).toArray());
                }
                if (record.getKind() == PseudoTarget.Kind.GOLD) {
                    long[] gold = TextEncoding.truncateKeepingEnd(encoding.target(record.getText()), MAX_TARGET);
                    assertThat(Arrays.stream(tokens).mapToLong(id -> id).toArray()).as("the gold target alone")
                            .containsExactly(gold);
                }
            }
        }
    }

    @Test
    void shouldEvaluateTeacherAndStudentOnPromptsAndPredictTheContinuationOnly() {
        LocalData data = LocalData.read(JobSettings.resolve(spec).task().orElseThrow());
        EvaluationSettings evaluation = new EvaluationSettings(1, MAX_TARGET, MAX_SOURCE, MAX_TARGET, 8,
                MetricNames.NLL, data.dev().size(), data.test().size(), folder.resolve("dev.jsonl"),
                Optional.of(folder.resolve("test.jsonl")), false, false);
        for (Role role : List.of(Role.TEACHER, Role.KD_STUDENT)) {
            RoleResult model = result.role(role);
            try (NDManager manager = NDManager.newBaseManager();
                    ModelDirectory directory = ModelDirectory.load(Path.of(model.dir()), manager)) {
                SplitResult prompted = new SplitEvaluator(directory.model(), directory.tokenizer(),
                        directory.generationConfig(), new PromptTemplate(PROMPT)).evaluate(data.dev(), evaluation);
                SplitResult bare = new SplitEvaluator(directory.model(), directory.tokenizer(),
                        directory.generationConfig(), PromptTemplate.NONE).evaluate(data.dev(), evaluation);
                assertThat(prompted.predictions()).as("%s", role).hasSize(6)
                        .allSatisfy(p -> assertThat(p).doesNotContain("Modern:").doesNotContain("=> Shakespeare:"));
                assertThat(prompted.metrics().get(MetricNames.NLL)).as("%s: the runner's dev NLL is the prompted one",
                        role).isEqualTo(model.dev().get(MetricNames.NLL))
                        .isNotEqualTo(bare.metrics().get(MetricNames.NLL));
            }
        }
    }

    @Test
    void shouldDistillIntoANewGpt2OfItsOwnConfig() throws Exception {
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(
                folder.resolve(HfTiny.GPT2).resolve("config.json").toFile());
        config.put("n_layer", 1).put("n_embd", 32).put("n_head", 2);
        new ObjectMapper().writeValue(folder.resolve("gpt2-small.json").toFile(), config);
        JobSpec own = TinyJob.spec(folder, yaml("source: pretrained").replace("name: tiny-gpt2", "name: tiny-gpt2-own")
                .replace("  source: pruned_teacher\n  decoder_layers: [-1]",
                        "  source: config\n  config_file: gpt2-small.json"));

        LocalResult run = new LocalDistillation(own, LocalOptions.of(temp.resolve("cache"))
                .withRunDir(temp.resolve("run-own")), LocalProgress.NONE).run();

        assertThat(run.pseudoTargets().orElseThrow().reused()).as("the teacher's PTs of the first job").isTrue();
        assertThat(run.roles()).extracting(RoleResult::role)
                .containsExactly(Role.COPY_BASELINE, Role.TEACHER, Role.CE_BASELINE, Role.KD_STUDENT);
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory student = ModelDirectory.load(Path.of(run.role(Role.KD_STUDENT).dir()), manager)) {
            assertThat(student.model().config().modelType()).isEqualTo("gpt2");
            assertThat(student.model().config().decoderLayerCount()).isEqualTo(1);
            assertThat(student.tokenizer().vocabSize()).as("the teacher's tokenizer").isEqualTo(600);
        }
        assertThat(StepLog.losses(temp.resolve("run-own/kd/steps.jsonl"))).hasSize(7).allMatch(Double::isFinite);
    }

    @Test
    void shouldRefuseToFineTuneADecoderOnlyTeacherNamingTheJobKey() {
        JobSpec fineTune = TinyJob.spec(folder, yaml("source: fine_tune").replace("name: tiny-gpt2",
                "name: tiny-gpt2-ft"));
        Path teacher = folder.resolve(HfTiny.GPT2);

        assertThatThrownBy(() -> new LocalDistillation(fineTune, LocalOptions.of(temp.resolve("cache-ft"))
                .withRunDir(temp.resolve("run-ft")), LocalProgress.NONE).run())
                .isInstanceOf(BadInputException.class)
                .hasMessage("JobSpec.teacher.source: FINE_TUNE of " + teacher + ", a decoder-only gpt2 model, is not"
                        + " supported (teachers are trained and fine-tuned here as encoder-decoder models: BART, T5);"
                        + " use source pretrained to distill a gpt2 teacher as it is");
    }
}
