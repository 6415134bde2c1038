package io.kdflow.core.pt;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.decoding.Generation;
import io.kdflow.core.decoding.GenerationInput;
import io.kdflow.core.decoding.Generator;
import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.decoding.TeacherForcedScorer;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.tokenizer.HfTokenizer;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A decoder-only teacher (gpt2-tiny): prompts are the sources (or the task's template applied to them), PTs continue
 * them and hold the continuation only, gold targets end with EOS.
 */
class DecoderOnlyPtTest {

    @TempDir
    Path temp;

    @Test
    void shouldWritePtsAndGoldWithTeacherForcedDistributions() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.GPT2, temp);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel teacher = PretrainedModels.load(dir, manager);
                HfTokenizer tokenizer = HfTokenizer.load(dir)) {
            GenerationConfig config = GenerationConfig.readOrDefault(dir, teacher.config());
            PtSettings settings = new PtSettings("job-1", "gpt2-tiny@fixture", PtDecoding.SAMPLING, 2, 2, 32, 12, 8,
                    Quantization.FP32, 2, 42L);
            List<PtInput> inputs = List.of(PtInput.labeled("p-0", "You can apply", " it to your programs"),
                    PtInput.unlabeled("p-1", "the work must"), PtInput.labeled("p-2", "Distribution of", " the Program"));
            List<PseudoTarget> records = new ArrayList<>();

            new PseudoTargetGenerator(teacher, tokenizer, config, settings).run(inputs, records::add, PtProgress.NONE);

            assertThat(records).extracting(r -> r.getExampleId() + "/" + r.getKind() + "/" + r.getPtIndex())
                    .containsExactly("p-0/GOLD/0", "p-2/GOLD/0", "p-0/TEACHER/0", "p-1/TEACHER/0", "p-2/TEACHER/0",
                            "p-0/TEACHER/1", "p-1/TEACHER/1", "p-2/TEACHER/1");
            TextEncoding encoding = new TextEncoding(tokenizer, teacher.config(), config);
            assertThat(records.get(0).getTokenIdsList().stream().mapToLong(Integer::longValue).toArray())
                    .containsExactly(encoding.target(" it to your programs"));
            assertThat(records.get(0).getSourceTokenIdsList().stream().mapToLong(Integer::longValue).toArray())
                    .containsExactly(encoding.source("You can apply"));
            TeacherForcedCheck.assertDistributions(records, new TeacherForcedScorer(teacher, config),
                    teacher.config().vocabSize(), 8);
        }
    }

    @Test
    void shouldContinueTheTemplatedPromptAndKeepOnlyTheContinuationInTheRecords() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.GPT2, temp);
        PromptTemplate template = new PromptTemplate("Continue: {source}");
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel teacher = PretrainedModels.load(dir, manager);
                HfTokenizer tokenizer = HfTokenizer.load(dir)) {
            GenerationConfig config = GenerationConfig.readOrDefault(dir, teacher.config());
            PtSettings settings = new PtSettings("job-1", "gpt2-tiny@fixture", PtDecoding.SAMPLING, 2, 2, 6, 12, 4,
                    Quantization.FP32, 2, 42L);
            List<PtInput> inputs = List.of(PtInput.labeled("p-0", "You can apply", " it to your programs"),
                    PtInput.unlabeled("p-1", "the work must carry prominent notices"));
            PseudoTargetGenerator generator = new PseudoTargetGenerator(teacher, tokenizer, config, settings,
                    template, Clock.systemUTC());
            List<PseudoTarget> records = new ArrayList<>();

            generator.run(inputs, records::add, PtProgress.NONE);

            TextEncoding encoding = new TextEncoding(tokenizer, teacher.config(), config);
            long[][] prompts = {
                tokenizer.encodeWithoutSpecialTokens("Continue: You can apply"),
                tokenizer.encodeWithoutSpecialTokens("Continue: the work must carry prominent notices")};
            assertThat(prompts[0].length).as("both prompts are cut to max_source_tokens").isGreaterThan(6);
            assertThat(prompts[1].length).isGreaterThan(prompts[0].length);
            Generator byHand = new Generator(teacher, config);
            for (PseudoTarget record : records) {
                int input = record.getExampleId().equals("p-0") ? 0 : 1;
                long[] prompt = Arrays.copyOfRange(prompts[input], prompts[input].length - 6, prompts[input].length);
                long[] tokens = ids(record.getTokenIdsList());
                assertThat(ids(record.getSourceTokenIdsList())).as("the prompt's last 6 tokens").containsExactly(prompt);
                if (record.getKind() == PseudoTarget.Kind.GOLD) {
                    assertThat(tokens).as("the gold target alone").containsExactly(encoding.target(" it to your programs"));
                    continue;
                }
                Generation sampled = byHand.sample(List.of(GenerationInput.of(prompt, record.getExampleId())),
                        generator.decoderSettings(), record.getPtIndex()).get(0);
                assertThat(tokens).as("the continuation alone, as generated by hand")
                        .containsExactly(sampled.best().tokens()).hasSizeBetween(1, 12);
                assertThat(record.getText()).isEqualTo(tokenizer.decode(tokens, true))
                        .doesNotContain("Continue:");
                assertThat(record.getDistribution().getPositions()).isEqualTo(tokens.length);
            }
            assertThat(records).hasSize(5);
            TeacherForcedCheck.assertDistributions(records, new TeacherForcedScorer(teacher, config),
                    teacher.config().vocabSize(), 4);
        }
    }

    private static long[] ids(List<Integer> ids) {
        return ids.stream().mapToLong(Integer::longValue).toArray();
    }
}
