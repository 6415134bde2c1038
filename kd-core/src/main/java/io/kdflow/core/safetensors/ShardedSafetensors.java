package io.kdflow.core.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kdflow.core.error.BadInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A checkpoint split over several safetensors files, described by {@code model.safetensors.index.json}
 * ({@code {"metadata": {...}, "weight_map": {"tensor": "model-00001-of-00002.safetensors"}}}). Shard
 * names must be plain file names inside the index's directory; every mapped tensor must exist in its
 * shard.
 */
public final class ShardedSafetensors implements TensorSource {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Map<String, SafetensorsFile> tensorToShard;
    private final Map<String, SafetensorsFile> shards;

    private ShardedSafetensors(Map<String, SafetensorsFile> tensorToShard, Map<String, SafetensorsFile> shards) {
        this.tensorToShard = Collections.unmodifiableMap(tensorToShard);
        this.shards = shards;
    }

    /** Opens every shard named by the index and checks the weight map against the shard headers. */
    public static ShardedSafetensors open(Path indexFile) throws IOException {
        String indexName = indexFile.toString();
        Map<String, String> weightMap = readWeightMap(indexFile);
        Path directory = indexFile.toAbsolutePath().getParent();
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        Map<String, SafetensorsFile> tensorToShard = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String> mapping : weightMap.entrySet()) {
                String shardName = mapping.getValue();
                SafetensorsFile shard = shards.get(shardName);
                if (shard == null) {
                    shard = openShard(directory, shardName, indexName);
                    shards.put(shardName, shard);
                }
                if (!shard.contains(mapping.getKey())) {
                    throw new SafetensorsFormatException(indexName, mapping.getKey(),
                            "weight_map names shard '" + shardName + "' but that shard has no such tensor");
                }
                tensorToShard.put(mapping.getKey(), shard);
            }
        } catch (IOException | RuntimeException e) {
            closeAll(shards.values(), e);
            throw e;
        }
        return new ShardedSafetensors(tensorToShard, shards);
    }

    private static Map<String, String> readWeightMap(Path indexFile) throws IOException {
        String indexName = indexFile.toString();
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(indexFile));
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(indexName, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode weightMap = root == null ? null : root.get("weight_map");
        if (weightMap == null || !weightMap.isObject() || weightMap.isEmpty()) {
            throw new SafetensorsFormatException(indexName, "missing or empty 'weight_map' object");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : weightMap.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new SafetensorsFormatException(indexName, entry.getKey(), "weight_map value is not a file name");
            }
            result.put(entry.getKey(), entry.getValue().textValue());
        }
        return result;
    }

    private static SafetensorsFile openShard(Path directory, String shardName, String indexName)
            throws IOException {
        Path shardPath = directory.resolve(shardName).normalize();
        boolean plainName = !shardName.isEmpty() && !shardName.contains("/") && !shardName.contains("\\")
                && !shardName.equals("..") && !shardName.equals(".");
        if (!plainName || !directory.equals(shardPath.getParent())) {
            throw new SafetensorsFormatException(indexName, "shard name '" + shardName
                    + "' is not a plain file name inside the checkpoint directory");
        }
        if (!Files.isRegularFile(shardPath)) {
            throw new SafetensorsFormatException(indexName, "shard '" + shardName + "' does not exist");
        }
        return SafetensorsFile.open(shardPath);
    }

    @Override
    public Set<String> names() {
        return tensorToShard.keySet();
    }

    @Override
    public TensorEntry entry(String name) {
        return shard(name).entry(name);
    }

    @Override
    public ByteBuffer read(String name) throws IOException {
        return shard(name).read(name);
    }

    @Override
    public String location(String name) {
        SafetensorsFile shard = tensorToShard.get(name);
        return shard == null ? "(no shard)" : shard.path().toString();
    }

    @Override
    public Map<String, String> metadata() {
        return shards.values().iterator().next().metadata();
    }

    private SafetensorsFile shard(String name) {
        SafetensorsFile shard = tensorToShard.get(name);
        if (shard == null) {
            throw new BadInputException("no tensor named '" + name + "' in the sharded checkpoint");
        }
        return shard;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SafetensorsFile shard : shards.values()) {
            try {
                shard.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void closeAll(Iterable<SafetensorsFile> files, Exception primary) {
        for (SafetensorsFile file : files) {
            try {
                file.close();
            } catch (IOException e) {
                primary.addSuppressed(e);
            }
        }
    }
}
