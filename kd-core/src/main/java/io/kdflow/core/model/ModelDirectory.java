package io.kdflow.core.model;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.model.config.SpecialTokens;
import io.kdflow.core.tokenizer.HfTokenizer;
import io.kdflow.core.tokenizer.SpecialTokenIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Hugging Face model directory, loaded: {@code config.json} (read once), the safetensors weights,
 * {@code generation_config.json} (or the config's defaults) and, unless left out, {@code tokenizer.json}
 * with the config's special tokens taking precedence. Encoder-decoder and decoder-only models alike.
 * Closing it frees the weights (their own sub-manager of the caller's) and the tokenizer.
 *
 * <p>A missing or malformed file is a {@link BadInputException} whose message starts with the file.
 */
public final class ModelDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelDirectory.class);

    private final Path path;
    private final PretrainedModel model;
    private final GenerationConfig generationConfig;
    private final HfTokenizer tokenizer;

    private ModelDirectory(Path path, PretrainedModel model, GenerationConfig generationConfig, HfTokenizer tokenizer) {
        this.path = path;
        this.model = model;
        this.generationConfig = generationConfig;
        this.tokenizer = tokenizer;
    }

    /** Loads weights, generation config and tokenizer of {@code directory}. */
    public static ModelDirectory load(Path directory, NDManager parent) {
        return load(directory, parent, true);
    }

    /** Loads weights and generation config only (for tools that copy the tokenizer files as they are). */
    public static ModelDirectory loadWithoutTokenizer(Path directory, NDManager parent) {
        return load(directory, parent, false);
    }

    private static ModelDirectory load(Path directory, NDManager parent, boolean withTokenizer) {
        if (!Files.isDirectory(directory)) {
            throw new BadInputException(directory + ": no such model directory");
        }
        ModelConfig config = readOrFail(() -> ModelConfigs.read(directory));
        GenerationConfig generation = readOrFail(() -> GenerationConfig.readOrDefault(directory, config));
        HfTokenizer tokenizer = withTokenizer ? HfTokenizer.load(directory, specialTokenIds(config)) : null;
        try {
            if (tokenizer != null) {
                warnIfVocabularyDiffers(directory, config, tokenizer);
            }
            PretrainedModel model = readOrFail(() -> PretrainedModels.load(config, directory, parent));
            return new ModelDirectory(directory, model, generation, tokenizer);
        } catch (RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public PretrainedModel model() {
        return model;
    }

    /** The model as an encoder-decoder; a decoder-only directory is bad input for the caller. */
    public Seq2SeqModel seq2seq() {
        if (model instanceof Seq2SeqModel seq2seq) {
            return seq2seq;
        }
        throw new BadInputException(path + " holds a decoder-only " + model.config().modelType()
                + " model; an encoder-decoder (bart, t5) is needed here");
    }

    public GenerationConfig generationConfig() {
        return generationConfig;
    }

    public HfTokenizer tokenizer() {
        if (tokenizer == null) {
            throw new IllegalStateException(path + " was loaded without its tokenizer");
        }
        return tokenizer;
    }

    /** How texts become this model's ids; targets are what the model generates (forced BOS included). */
    public TextEncoding textEncoding() {
        return new TextEncoding(tokenizer(), model.config(), generationConfig);
    }

    @Override
    public void close() {
        try {
            if (tokenizer != null) {
                tokenizer.close();
            }
        } finally {
            model.close();
        }
    }

    /** The config's pad, bos and first eos ids, which win over the tokenizer's own. */
    private static SpecialTokenIds specialTokenIds(ModelConfig config) {
        SpecialTokens special = config.specialTokens();
        SpecialTokenIds ids = SpecialTokenIds.none();
        if (special.pad() != null) {
            ids = ids.withPad(special.pad());
        }
        if (special.bos() != null) {
            ids = ids.withBos(special.bos());
        }
        if (special.firstEos() != null) {
            ids = ids.withEos(special.firstEos());
        }
        return ids;
    }

    /**
     * Checkpoints often pad the embedding matrix beyond the tokenizer (T5: 32128 rows, 32100 tokens); the
     * extra rows are never produced by the tokenizer but can be sampled, and their text is empty.
     */
    private static void warnIfVocabularyDiffers(Path directory, ModelConfig config, HfTokenizer tokenizer) {
        if (config.vocabSize() > tokenizer.vocabSize()) {
            LOG.warn("{}: the model's vocabulary ({} ids) is larger than its tokenizer's ({} tokens); ids from {} up"
                    + " decode to no text", directory, config.vocabSize(), tokenizer.vocabSize(),
                    tokenizer.vocabSize());
        }
    }

    /**
     * Runs a read, turning a missing file into bad input that names it; malformed files already are
     * ({@code ModelConfigException}, {@code ModelCheckpointException}, {@code SafetensorsFormatException}).
     */
    private static <T> T readOrFail(IoRead<T> read) {
        try {
            return read.run();
        } catch (NoSuchFileException e) {
            throw new BadInputException(e.getFile() + ": no such file", e);
        } catch (IOException e) {
            throw new BadInputException("cannot read: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface IoRead<T> {
        T run() throws IOException;
    }
}
