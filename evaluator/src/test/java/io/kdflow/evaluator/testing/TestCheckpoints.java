package io.kdflow.evaluator.testing;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.LayerPruning;
import io.kdflow.core.model.ModelDirectoryWriter;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.store.CheckpointManifest;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.proto.CheckpointEvent;
import io.kdflow.core.wire.proto.ModelRole;
import io.kdflow.core.wire.proto.RecordHeader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/** Writes checkpoints into the test model store the way the trainer does: model files plus a manifest. */
public final class TestCheckpoints {

    /** The evaluator's {@code %test.evaluator.model-store}. */
    public static final Path STORE = Path.of("target/test-model-store");

    public static final List<String> BART_FILES = List.of("config.json", "generation_config.json",
            "model.safetensors", "tokenizer.json");

    private TestCheckpoints() {}

    /** The bart-tiny copy model under {@code <job>/<name>}, without a manifest; returns its store URI. */
    public static String copyBartTiny(String job, String name) {
        Path directory = directory(job, name);
        for (String file : BART_FILES) {
            copyResource("hf-tiny/bart-tiny/" + file, directory.resolve(file));
        }
        return uri(job, name);
    }

    /** The gpt2-tiny decoder-only model under {@code <job>/<name>}, without a manifest; returns its store URI. */
    public static String copyGpt2Tiny(String job, String name) {
        Path directory = directory(job, name);
        for (String file : BART_FILES) { // the same four files
            copyResource("hf-tiny/gpt2-tiny/" + file, directory.resolve(file));
        }
        return uri(job, name);
    }

    /** bart-tiny with only its first decoder layer: a worse "student baseline". */
    public static String prunedBartTiny(String job, String name) throws IOException {
        copyBartTiny(job, name + "-source");
        Path full = directory(job, name + "-source");
        Path target = directory(job, name);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.load(full, manager);
                PretrainedModel pruned = LayerPruning.prune(model, null, List.of(0), manager)) {
            ModelDirectoryWriter.save(pruned, target, full);
        }
        return uri(job, name);
    }

    /** Writes the manifest of the checkpoint {@code uri} and returns its (final) checkpoint event. */
    public static CheckpointEvent eventFor(String job, ModelRole role, long step, String uri) {
        Path directory = STORE.resolve(uri.substring("store:".length()));
        String sha = CheckpointManifest.write(directory, step, Map.of(), Map.of());
        return CheckpointEvent.newBuilder()
                .setHeader(RecordHeader.newBuilder().setSchemaVersion(Wire.SCHEMA_VERSION).setJobId(job))
                .setRole(role)
                .setStep(step)
                .setUri(uri)
                .setSha256(sha)
                .setFinal(true)
                .build();
    }

    public static Path directory(String job, String name) {
        try {
            return Files.createDirectories(STORE.resolve(job).resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String uri(String job, String name) {
        return "store:" + job + "/" + name;
    }

    public static InputStream resource(String name) {
        InputStream in = TestCheckpoints.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("test resource not on the classpath: " + name);
        }
        return in;
    }

    private static void copyResource(String name, Path target) {
        try (InputStream in = resource(name)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
