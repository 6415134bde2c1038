package io.kdflow.core.train.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.model.Labels;
import io.kdflow.core.model.LayerPruning;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.tokenizer.HfTokenizer;
import io.kdflow.core.train.ExampleEncoder;
import io.kdflow.core.train.PairBatch;
import io.kdflow.core.train.TrainingBatch;
import io.kdflow.core.train.TrainingExample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The objectives' test bed, libtorch on one thread: the bart-tiny fixture as teacher and its decoder-pruned
 * copy (layers 0 and -1) as student, sharing one tokenizer; a batch of three style-transfer pairs.
 */
final class ObjectiveFixture implements AutoCloseable {

    static final List<TrainingExample> PAIRS = List.of(
            TrainingExample.of("a", "Good morrow to you, my lord.", "Hello, sir."),
            TrainingExample.of("b", "What news on the Rialto?", "What is new in town today?"),
            TrainingExample.of("c", "Wherefore art thou Romeo?", "Why are you Romeo?"));
    static final int MAX_TOKENS = 32;

    final Path dir;
    final NDManager manager;
    final Seq2SeqModel teacher;
    final Seq2SeqModel student;
    final HfTokenizer tokenizer;
    final ExampleEncoder encoder;
    private final int threadsBefore;

    ObjectiveFixture(Path temp) throws IOException {
        dir = HfTiny.copyModel(HfTiny.BART, temp);
        manager = NDManager.newBaseManager(); // loads the engine
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        teacher = PretrainedModels.loadSeq2Seq(dir, manager);
        student = (Seq2SeqModel) LayerPruning.pruneDecoderDefault(teacher, manager);
        tokenizer = HfTokenizer.load(dir.resolve("tokenizer.json"));
        encoder = new ExampleEncoder(new TextEncoding(tokenizer, student.config()), MAX_TOKENS, MAX_TOKENS, 1);
    }

    TrainingBatch batch() {
        return encoder.apply(PAIRS);
    }

    /** Teacher-forced logits (B, T, V) of {@code model} on {@code pairs}' labels. */
    static NDArray logits(NDManager manager, Seq2SeqModel model, PairBatch pairs, RunMode mode) {
        NDArray labels = manager.create(pairs.labels());
        return model.logits(manager.create(pairs.inputIds()), manager.create(pairs.attentionMask()),
                Labels.shiftRight(labels, 2, 1), mode);
    }

    static NDArray mask(NDManager manager, PairBatch pairs) {
        return manager.create(pairs.labels()).neq(Labels.IGNORE_INDEX);
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
