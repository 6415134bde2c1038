package io.kdflow.core.teacher;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.ModelDirectoryWriter;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.tokenizer.BpeTrainer;
import io.kdflow.core.tokenizer.TokenizerArchitecture;
import io.kdflow.core.tokenizer.TrainedBpe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A BART that starts from nothing: a byte-level BPE tokenizer trained on the task's text and weights
 * initialised as Hugging Face does (N(0, 0.02)), written as an HF-layout directory. The demo's student and
 * a teacher trained here both start so.
 */
public final class ScratchBart {

    /** Pairs seen fewer times are not merged by default: keeps one-off words out of a small vocabulary. */
    private static final int MIN_MERGE_FREQUENCY = TeacherRecipe.DEFAULT_MIN_FREQUENCY;

    private ScratchBart() {}

    /**
     * Writes tokenizer.json, config.json, generation_config.json and model.safetensors into {@code directory}
     * (created if needed); the tokenizer merges pairs seen at least twice.
     */
    public static void create(Path directory, List<String> texts, int vocabSize, BartShape shape, long seed) {
        create(directory, texts, vocabSize, MIN_MERGE_FREQUENCY, shape, seed);
    }

    /** The same with a tokenizer that merges only pairs seen at least {@code minFrequency} times. */
    public static void create(Path directory, List<String> texts, int vocabSize, int minFrequency, BartShape shape,
            long seed) {
        try {
            Files.createDirectories(directory);
            TrainedBpe tokenizer = new BpeTrainer(TokenizerArchitecture.BART, vocabSize, minFrequency)
                    .train(texts.iterator());
            tokenizer.writeTo(directory.resolve("tokenizer.json"));
            try (NDManager manager = NDManager.newBaseManager();
                    PretrainedModel model = PretrainedModels.initialize(shape.config(tokenizer.vocabSize()),
                            manager, (int) seed)) {
                ModelDirectoryWriter.save(model, directory, null);
            }
        } catch (IOException e) {
            throw new BadInputException("cannot write a new BART to " + directory + ": " + e.getMessage(), e);
        }
    }
}
