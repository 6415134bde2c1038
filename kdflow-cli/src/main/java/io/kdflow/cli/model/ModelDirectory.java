package io.kdflow.cli.model;

import ai.djl.ndarray.NDManager;
import io.kdflow.cli.UserError;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.model.config.SpecialTokens;
import io.kdflow.core.tokenizer.HfTokenizer;
import io.kdflow.core.tokenizer.SpecialTokenIds;
import io.kdflow.core.tokenizer.TokenizerFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A loaded model directory: weights, generation config and (when asked) the tokenizer, in their own
 * NDManager closed with this object. Every problem with the directory becomes a one-line
 * {@link UserError} that names the file: kd-core's config, checkpoint and tokenizer exceptions already
 * start with it.
 */
public final class ModelDirectory implements AutoCloseable {

    private final Path directory;
    private final NDManager manager;
    private final PretrainedModel model;
    private final GenerationConfig generationConfig;
    private final HfTokenizer tokenizer;

    private ModelDirectory(Path directory, NDManager manager, PretrainedModel model, GenerationConfig generationConfig,
            HfTokenizer tokenizer) {
        this.directory = directory;
        this.manager = manager;
        this.model = model;
        this.generationConfig = generationConfig;
        this.tokenizer = tokenizer;
    }

    /** Loads {@code directory}; with {@code withTokenizer} its {@code tokenizer.json} as well. */
    public static ModelDirectory load(Path directory, boolean withTokenizer) {
        if (!Files.isDirectory(directory)) {
            throw new UserError(directory + ": no such model directory");
        }
        ModelConfig config = readConfig(directory);
        GenerationConfig generation = readGenerationConfig(directory, config);
        HfTokenizer tokenizer = withTokenizer ? loadTokenizer(directory, config) : null;
        NDManager manager = NDManager.newBaseManager();
        try {
            PretrainedModel model = PretrainedModels.load(directory, manager);
            return new ModelDirectory(directory, manager, model, generation, tokenizer);
        } catch (IOException e) {
            closeAll(manager, tokenizer);
            throw new UserError(describe(e));
        } catch (RuntimeException e) {
            closeAll(manager, tokenizer);
            throw e;
        }
    }

    public Path path() {
        return directory;
    }

    public PretrainedModel model() {
        return model;
    }

    public GenerationConfig generationConfig() {
        return generationConfig;
    }

    /** Text conventions of this model; needs the tokenizer. */
    public TextEncoding textEncoding() {
        if (tokenizer == null) {
            throw new IllegalStateException("loaded without its tokenizer");
        }
        return new TextEncoding(tokenizer, model.config(), generationConfig);
    }

    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        model.close();
        closeAll(manager, tokenizer);
    }

    private static ModelConfig readConfig(Path directory) {
        try {
            return ModelConfigs.read(directory);
        } catch (IOException e) {
            throw new UserError(describe(e));
        }
    }

    private static GenerationConfig readGenerationConfig(Path directory, ModelConfig config) {
        try {
            return GenerationConfig.readOrDefault(directory, config);
        } catch (IOException e) {
            throw new UserError(describe(e));
        }
    }

    private static HfTokenizer loadTokenizer(Path directory, ModelConfig config) {
        SpecialTokens special = config.specialTokens();
        SpecialTokenIds overrides = SpecialTokenIds.none();
        if (special.pad() != null) {
            overrides = overrides.withPad(special.pad());
        }
        if (special.bos() != null) {
            overrides = overrides.withBos(special.bos());
        }
        if (special.firstEos() != null) {
            overrides = overrides.withEos(special.firstEos());
        }
        try {
            return HfTokenizer.load(directory, overrides);
        } catch (TokenizerFileException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** One line for an I/O problem: the file alone when it is missing, kd-core's message otherwise. */
    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException missing) {
            return missing.getFile() + ": no such file";
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").strip();
    }

    private static void closeAll(NDManager manager, HfTokenizer tokenizer) {
        if (tokenizer != null) {
            tokenizer.close();
        }
        manager.close();
    }
}
