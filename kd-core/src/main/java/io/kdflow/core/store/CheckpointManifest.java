package io.kdflow.core.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kdflow.core.error.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code kdflow-checkpoint.json}: the manifest every checkpoint directory carries. It lists each file with
 * its size and sha256, plus the step and the input offsets the checkpoint was trained up to. A
 * checkpoint event carries the manifest's own sha256, so one hash vouches for every file.
 *
 * @param step optimizer step of the checkpoint
 * @param consumedOffsets "topic/partition" to the next offset to consume, for exact resumption
 * @param properties free-form provenance (seed, config hash, mode)
 * @param files file name to its entry, sorted by name
 */
public record CheckpointManifest(
        long step, Map<String, Long> consumedOffsets, Map<String, String> properties, Map<String, FileEntry> files) {

    public static final String FILE_NAME = "kdflow-checkpoint.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** One file of the checkpoint. */
    public record FileEntry(long bytes, String sha256) {}

    /**
     * Hashes every regular file of {@code directory} (except the manifest), writes the manifest and returns
     * its sha256.
     */
    public static String write(Path directory, long step, Map<String, Long> consumedOffsets,
            Map<String, String> properties) {
        Map<String, FileEntry> files = new TreeMap<>();
        for (Path file : listFiles(directory)) {
            files.put(file.getFileName().toString(), entryOf(file));
        }
        CheckpointManifest manifest = new CheckpointManifest(step, new TreeMap<>(consumedOffsets),
                new TreeMap<>(properties), files);
        Path target = directory.resolve(FILE_NAME);
        try {
            Files.write(target, JSON.writeValueAsBytes(manifest));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint manifest " + target, e);
        }
        return ModelStore.sha256(target);
    }

    /**
     * Reads the manifest of {@code directory} and checks it against {@code expectedSha256} and every listed
     * file against its recorded size and hash.
     *
     * @throws IllegalArgumentException naming the first file that is missing or differs
     */
    public static CheckpointManifest verify(Path directory, String expectedSha256) {
        Path manifestFile = directory.resolve(FILE_NAME);
        if (!Files.isRegularFile(manifestFile)) {
            throw new BadInputException("checkpoint " + directory + " has no " + FILE_NAME);
        }
        String actual = ModelStore.sha256(manifestFile);
        if (!actual.equals(expectedSha256)) {
            throw new BadInputException("checkpoint " + directory + ": manifest sha256 " + actual
                    + " differs from the announced " + expectedSha256);
        }
        CheckpointManifest manifest = read(manifestFile);
        for (Map.Entry<String, FileEntry> listed : manifest.files().entrySet()) {
            Path file = directory.resolve(listed.getKey()).normalize();
            if (!file.getParent().equals(directory.normalize()) || !Files.isRegularFile(file)) {
                throw new BadInputException("checkpoint " + directory + ": listed file "
                        + listed.getKey() + " is missing");
            }
            if (!entryOf(file).equals(listed.getValue())) {
                throw new BadInputException("checkpoint " + directory + ": file " + listed.getKey()
                        + " differs from its manifest entry (size or sha256)");
            }
        }
        return manifest;
    }

    /** Total bytes of the listed files. */
    public long totalBytes() {
        return files.values().stream().mapToLong(FileEntry::bytes).sum();
    }

    private static CheckpointManifest read(Path manifestFile) {
        try {
            CheckpointManifest manifest = JSON.readValue(manifestFile.toFile(), CheckpointManifest.class);
            if (manifest.files() == null || manifest.consumedOffsets() == null || manifest.properties() == null) {
                throw new BadInputException(manifestFile + ": files, consumedOffsets and properties are required");
            }
            return manifest;
        } catch (JsonProcessingException e) {
            throw new BadInputException(manifestFile + ": not a checkpoint manifest: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + manifestFile, e);
        }
    }

    private static FileEntry entryOf(Path file) {
        try {
            return new FileEntry(Files.size(file), ModelStore.sha256(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + file, e);
        }
    }

    private static List<Path> listFiles(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            List<Path> files = new ArrayList<>();
            entries.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().equals(FILE_NAME))
                    .sorted()
                    .forEach(files::add);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoint directory " + directory, e);
        }
    }
}
