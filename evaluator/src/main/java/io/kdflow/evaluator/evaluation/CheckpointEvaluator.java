package io.kdflow.evaluator.evaluation;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.decoding.DecodingSettingsMapping;
import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.eval.ComputeMetrics;
import io.kdflow.core.eval.EvalDatasetReader;
import io.kdflow.core.eval.EvaluationSettings;
import io.kdflow.core.eval.SplitEvaluator;
import io.kdflow.core.eval.SplitResult;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.store.CheckpointManifest;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.wire.proto.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Evaluates one checkpoint of the model store: checks it against its manifest, loads it, has kd-core score
 * every split of the job ({@link SplitEvaluator}) and measure it ({@link ComputeMetrics}). Every problem that is
 * the checkpoint's (or the job's data) fault is a {@link BadInputException} whose message says what and where;
 * the service's RecordGate dead-letters the record with it.
 */
public final class CheckpointEvaluator {

    private final ModelStore store;

    public CheckpointEvaluator(ModelStore store) {
        this.store = store;
    }

    /** The sha256 that identifies a checkpoint named only by URI: its manifest's, else its weights'. */
    public String contentSha256(String uri) {
        Path directory = store.resolve(uri);
        for (String name : List.of(CheckpointManifest.FILE_NAME, "model.safetensors")) {
            Path file = directory.resolve(name);
            if (Files.isRegularFile(file)) {
                return ModelStore.sha256(file);
            }
        }
        throw new BadInputException("checkpoint " + uri + " has neither " + CheckpointManifest.FILE_NAME
                + " nor model.safetensors");
    }

    public CheckpointResult evaluate(CheckpointRequest request, EvaluationSettings settings, ComputeMetrics.Settings compute) {
        return evaluate(request, settings, compute, PromptTemplate.NONE);
    }

    /**
     * Evaluates an encoder-decoder (BART, T5) or decoder-only (GPT-2) checkpoint; a decoder-only one continues the
     * job's {@code prompt} and is scored on its continuations.
     */
    public CheckpointResult evaluate(CheckpointRequest request, EvaluationSettings settings,
            ComputeMetrics.Settings compute, PromptTemplate prompt) {
        Path directory = store.resolve(request.uri());
        confineFiles(directory, request.uri());
        verifyIdentity(directory, request);
        Map<Split, Path> files = new LinkedHashMap<>();
        files.put(Split.DEV, settings.devData());
        settings.testData().ifPresent(test -> files.put(Split.TEST, test));
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory model = load(directory, manager)) {
            SplitEvaluator evaluator = new SplitEvaluator(model.model(), model.tokenizer(), model.generationConfig(),
                    prompt);
            Map<Split, SplitResult> results = new LinkedHashMap<>();
            files.forEach((split, file) -> results.put(split, evaluator.evaluate(EvalDatasetReader.read(file,
                    split == Split.DEV ? settings.maxDevExamples() : settings.maxTestExamples()), settings)));
            return new CheckpointResult(results, ComputeMetrics.of(model.model(), compute), settings,
                    DecodingSettingsMapping.toWire(evaluator.decoding(settings)));
        }
    }

    /**
     * Checks that the directory is the announced checkpoint. A trainer's checkpoint announces its manifest's sha256
     * (the manifest is then verified file by file); a teacher-ready event announces its model.safetensors' sha256
     * (the pipeline contract), with or without a manifest. A JobSpec's teacher_uri is identified by its content
     * here, so only a present manifest is verified.
     */
    private static void verifyIdentity(Path directory, CheckpointRequest request) {
        String announced = request.id().sha256();
        boolean hasManifest = Files.isRegularFile(directory.resolve(CheckpointManifest.FILE_NAME));
        if (hasManifest && announced.equals(ModelStore.sha256(directory.resolve(CheckpointManifest.FILE_NAME)))) {
            CheckpointManifest.verify(directory, announced);
            return;
        }
        Path weights = directory.resolve("model.safetensors");
        if (request.manifestRequired() && Files.isRegularFile(weights) && announced.equals(ModelStore.sha256(weights))) {
            return;
        }
        if (hasManifest || request.manifestRequired()) {
            CheckpointManifest.verify(directory, announced); // throws, naming what differs or is missing
        }
    }

    /**
     * Rejects a checkpoint with a file that is a symbolic link out of the model store (the directory itself was
     * checked by {@link ModelStore#resolve}); checked before any file is hashed or loaded.
     */
    private void confineFiles(Path directory, String uri) {
        if (!Files.isDirectory(directory)) {
            throw new BadInputException("checkpoint " + uri + " is missing: no directory " + directory);
        }
        try (Stream<Path> files = Files.list(directory)) {
            files.forEach(file -> {
                try {
                    store.uriOf(file);
                } catch (BadInputException e) {
                    throw new BadInputException("checkpoint " + uri + ": file " + file.getFileName()
                            + " leaves the model store through a link", e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoint directory " + directory, e);
        }
    }

    /** Loads a checkpoint; what is wrong with it is the checkpoint's fault. */
    private static ModelDirectory load(Path directory, NDManager manager) {
        requireFile(directory, ModelConfigs.FILE_NAME);
        requireFile(directory, "tokenizer.json");
        ModelDirectory model = null;
        try {
            model = ModelDirectory.load(directory, manager);
            return model;
        } catch (BadInputException e) {
            if (model != null) {
                model.close();
            }
            throw new BadInputException("checkpoint " + directory + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    private static void requireFile(Path directory, String name) {
        if (!Files.isRegularFile(directory.resolve(name))) {
            throw new BadInputException("checkpoint " + directory + " has no " + name
                    + ": the evaluator needs a Hugging Face model directory (config.json, model.safetensors,"
                    + " tokenizer.json, generation_config.json)");
        }
    }
}
