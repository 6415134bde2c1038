package io.kdflow.evaluator.evaluation;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.eval.ComputeMetrics;
import io.kdflow.core.eval.EvalDatasetReader;
import io.kdflow.core.eval.EvaluationSettings;
import io.kdflow.core.eval.SplitEvaluator;
import io.kdflow.core.eval.SplitResult;
import io.kdflow.core.store.CheckpointManifest;
import io.kdflow.core.store.ModelStore;
import io.kdflow.core.tokenizer.TokenizerFileException;
import io.kdflow.core.wire.proto.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates one checkpoint of the model store: checks it against its manifest, loads it, has kd-core score
 * every split of the job ({@link SplitEvaluator}) and measure it ({@link ComputeMetrics}). Every problem that is
 * the checkpoint's (or the job's data) fault is an {@link IllegalArgumentException} or a
 * {@code BadInputException} whose message says what and where.
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
        throw new IllegalArgumentException("checkpoint " + uri + " has neither " + CheckpointManifest.FILE_NAME
                + " nor model.safetensors");
    }

    public CheckpointResult evaluate(CheckpointRequest request, EvaluationSettings settings, ComputeMetrics.Settings compute) {
        Path directory = store.resolve(request.uri());
        if (request.manifestRequired() || Files.isRegularFile(directory.resolve(CheckpointManifest.FILE_NAME))) {
            CheckpointManifest.verify(directory, request.id().sha256());
        }
        Map<Split, Path> files = new LinkedHashMap<>();
        files.put(Split.DEV, settings.devData());
        settings.testData().ifPresent(test -> files.put(Split.TEST, test));
        try (NDManager manager = NDManager.newBaseManager();
                LoadedModel model = load(directory, manager)) {
            SplitEvaluator evaluator = new SplitEvaluator(model.model(), model.tokenizer(), model.generationConfig());
            Map<Split, SplitResult> results = new LinkedHashMap<>();
            files.forEach((split, file) -> results.put(split, evaluator.evaluate(EvalDatasetReader.read(file,
                    split == Split.DEV ? settings.maxDevExamples() : settings.maxTestExamples()), settings)));
            return new CheckpointResult(results, ComputeMetrics.of(model.model(), compute), settings);
        }
    }

    private static LoadedModel load(Path directory, NDManager manager) {
        try {
            return LoadedModel.load(directory, manager);
        } catch (IOException | TokenizerFileException e) {
            throw new IllegalArgumentException("checkpoint " + directory + " cannot be loaded: " + e.getMessage(), e);
        }
    }
}
