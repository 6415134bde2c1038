package io.kdflow.core.train.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.model.CausalLm;
import io.kdflow.core.model.LayerPruning;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.tokenizer.HfTokenizer;
import io.kdflow.core.train.ExampleEncoder;
import io.kdflow.core.train.PairBatch;
import io.kdflow.core.train.TrainingBatch;
import io.kdflow.core.train.TrainingExample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The decoder-only test bed, libtorch on one thread: the gpt2-tiny fixture as teacher (its own dropout 0.1) and
 * its first layer alone as student, with every dropout set to 0 so that its training-mode logits can be
 * recomputed by hand; one tokenizer; three prompted pairs whose prompts have different lengths.
 */
final class DecoderOnlyFixture implements AutoCloseable {

    static final PromptTemplate PROMPT = new PromptTemplate("{source} =");
    static final List<TrainingExample> PAIRS = List.of(
            TrainingExample.of("a", "You can apply", " it to your programs"),
            TrainingExample.of("b", "the work must carry prominent notices", " the Program"),
            TrainingExample.of("c", "Distribution of", " modified versions is permitted."));
    static final int MAX_SOURCE_TOKENS = 24;
    static final int MAX_TARGET_TOKENS = 16;
    static final int VOCAB = 600;

    final Path dir;
    final NDManager manager;
    final CausalLm teacher;
    final CausalLm student;
    final HfTokenizer tokenizer;
    final TextEncoding encoding;
    final ExampleEncoder encoder;
    private final int threadsBefore;

    DecoderOnlyFixture(Path temp) throws Exception {
        dir = HfTiny.copyModel(HfTiny.GPT2, temp);
        manager = NDManager.newBaseManager();
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        teacher = PretrainedModels.loadCausalLm(dir, manager);
        try (PretrainedModel firstLayer = LayerPruning.prune(teacher, null, List.of(0), manager)) {
            ObjectNode json = firstLayer.config().toJson();
            json.put("resid_pdrop", 0.0).put("embd_pdrop", 0.0).put("attn_pdrop", 0.0);
            ModelConfig config = ModelConfigs.parse(json, "gpt2-tiny first layer without dropout");
            student = (CausalLm) PretrainedModels.fromStateDict(config, firstLayer.stateDict(manager), manager);
        }
        tokenizer = HfTokenizer.load(dir.resolve("tokenizer.json"));
        encoding = new TextEncoding(tokenizer, student.config());
        encoder = new ExampleEncoder(encoding, PROMPT, MAX_SOURCE_TOKENS, MAX_TARGET_TOKENS, student.config());
    }

    TrainingBatch batch() {
        return encoder.apply(PAIRS);
    }

    /**
     * By hand, row by row with no padding at all: {@code model}'s logits on prompt + target, the rows that predict
     * the target tokens, stacked into (B, T, V) with zeros after each row's end.
     */
    static NDArray targetLogits(NDManager manager, CausalLm model, PairBatch pairs, RunMode mode) {
        List<NDArray> rows = new ArrayList<>();
        int width = pairs.labels()[0].length;
        for (int b = 0; b < pairs.labels().length; b++) {
            long[] prompt = pairs.sourceIds(b);
            long[] target = Arrays.stream(pairs.labels()[b]).filter(id -> id != PairBatch.IGNORED).toArray();
            long[] joined = new long[prompt.length + target.length];
            System.arraycopy(prompt, 0, joined, 0, prompt.length);
            System.arraycopy(target, 0, joined, prompt.length, target.length);
            NDArray logits = model.logits(manager.create(joined).expandDims(0), null, mode).squeeze(0); // (P + t, V)
            NDArray predicting = logits.get("{}:{}, :", prompt.length - 1, prompt.length - 1 + target.length);
            if (target.length < width) {
                predicting = NDArrays.concat(new NDList(predicting,
                        manager.zeros(new ai.djl.ndarray.types.Shape(width - target.length, VOCAB))), 0);
            }
            rows.add(predicting);
        }
        return NDArrays.stack(new NDList(rows), 0); // (B, T, V)
    }

    @Override
    public void close() {
        tokenizer.close();
        student.close();
        teacher.close();
        manager.close();
        JniUtils.setNumThreads(threadsBefore);
    }
}
