package io.kdflow.core.pt;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A decoder-only teacher (gpt2-tiny): prompts are the sources, PTs continue them, gold targets end with EOS. */
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
}
