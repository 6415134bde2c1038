package io.kdflow.core.safetensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the weights of a Hugging Face model directory: one file or a sharded index. */
public final class Checkpoints {

    /** The single-file weights name {@code transformers} uses. */
    public static final String SINGLE_FILE = "model.safetensors";
    /** The index of sharded weights. */
    public static final String SHARD_INDEX = "model.safetensors.index.json";

    private Checkpoints() {}

    /** Opens {@code model.safetensors}, or the shards listed in {@code model.safetensors.index.json}. */
    public static TensorSource open(Path modelDirectory) throws IOException {
        Path single = modelDirectory.resolve(SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            return SafetensorsFile.open(single);
        }
        Path index = modelDirectory.resolve(SHARD_INDEX);
        if (Files.isRegularFile(index)) {
            return ShardedSafetensors.open(index);
        }
        throw new java.nio.file.NoSuchFileException(modelDirectory.toString(), null,
                "no " + SINGLE_FILE + " or " + SHARD_INDEX + " (only safetensors weights are supported)");
    }
}
