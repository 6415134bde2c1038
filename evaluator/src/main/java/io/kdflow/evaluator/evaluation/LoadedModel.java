package io.kdflow.evaluator.evaluation;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.tokenizer.HfTokenizer;
import io.kdflow.core.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A checkpoint loaded for evaluation: weights, tokenizer and generation config of a Hugging Face-layout
 * directory. Closing it frees the native weights and the tokenizer.
 */
public final class LoadedModel implements AutoCloseable {

    private final Path directory;
    private final Seq2SeqModel model;
    private final TextTokenizer tokenizer;
    private final GenerationConfig generationConfig;

    private LoadedModel(Path directory, Seq2SeqModel model, TextTokenizer tokenizer, GenerationConfig generationConfig) {
        this.directory = directory;
        this.model = model;
        this.tokenizer = tokenizer;
        this.generationConfig = generationConfig;
    }

    /**
     * Loads {@code directory}.
     *
     * @throws NotAModelException when the directory lacks {@code config.json} or {@code tokenizer.json}, or holds
     *     a decoder-only model (not evaluated yet)
     */
    public static LoadedModel load(Path directory, NDManager parent) throws IOException {
        requireFile(directory, ModelConfigs.FILE_NAME);
        requireFile(directory, "tokenizer.json");
        PretrainedModel model = PretrainedModels.load(directory, parent);
        if (!(model instanceof Seq2SeqModel seq2seq)) {
            String type = model.config().modelType();
            model.close();
            throw new NotAModelException("checkpoint " + directory + " holds a decoder-only " + type
                    + " model: the evaluator decodes encoder-decoder models (BART, T5) only");
        }
        try {
            GenerationConfig generation = GenerationConfig.readOrDefault(directory, model.config());
            HfTokenizer tokenizer = HfTokenizer.load(directory);
            return new LoadedModel(directory, seq2seq, tokenizer, generation);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static void requireFile(Path directory, String name) {
        if (!Files.isRegularFile(directory.resolve(name))) {
            throw new NotAModelException("checkpoint " + directory + " has no " + name
                    + ": the evaluator needs a Hugging Face model directory (config.json, model.safetensors,"
                    + " tokenizer.json, generation_config.json)");
        }
    }

    public Path directory() {
        return directory;
    }

    public Seq2SeqModel model() {
        return model;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    public GenerationConfig generationConfig() {
        return generationConfig;
    }

    /** How texts become this model's ids; targets are what the model generates (forced BOS included). */
    public TextEncoding textEncoding() {
        return new TextEncoding(tokenizer, model.config(), generationConfig);
    }

    @Override
    public void close() {
        try {
            tokenizer.close();
        } finally {
            model.close();
        }
    }
}
