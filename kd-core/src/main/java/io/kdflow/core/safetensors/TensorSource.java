package io.kdflow.core.safetensors;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;

/** Named tensors stored in one safetensors file or spread over shards. */
public interface TensorSource extends Closeable {

    /** All tensor names. */
    Set<String> names();

    /** Declared dtype, shape and byte range of a tensor; {@link IllegalArgumentException} if absent. */
    TensorEntry entry(String name);

    /** Whether a tensor of this name exists. */
    default boolean contains(String name) {
        return names().contains(name);
    }

    /** The tensor's bytes, little-endian, in a fresh buffer positioned at 0. */
    ByteBuffer read(String name) throws IOException;

    /** Where a tensor lives (the file), for error messages. */
    String location(String name);

    /** The {@code __metadata__} strings (of the first shard for sharded checkpoints). */
    Map<String, String> metadata();
}
