package io.kdflow.core.teacher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kdflow.core.error.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trained teachers, each in {@code <root>/<key>/}, the key the sha256 of what made it: the recipe's canonical
 * settings, the sha256 of every data file (a user's pretrained weights count as data) and the seed. A later
 * job with the same key reuses the entry instead of training again.
 *
 * <p>An entry is complete when its {@code manifest.json} lists the sha256 of every file of the entry and every
 * file still has it; anything else (a crash mid-write, an edited file) is trained again, with a warning. An
 * entry is written in a temporary directory of the root and renamed into place, so a reader never sees half
 * of one. {@code teacher.json} records the provenance: key, recipe, data hashes, seed, dev metrics, the
 * input-sensitivity check, steps, wall time and the git commit of the code when the caller knows it.
 */
public final class TeacherCache {

    public static final String MANIFEST = "manifest.json";
    public static final String PROVENANCE = "teacher.json";

    private static final Logger LOG = LoggerFactory.getLogger(TeacherCache.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Trains a teacher into {@code output}, with scratch space in {@code work}. */
    @FunctionalInterface
    public interface Training {
        TeacherResult train(Path work, Path output);
    }

    /**
     * A cached teacher.
     *
     * @param directory the teacher's HF directory (with {@code teacher.json} and {@code manifest.json})
     * @param key the cache key
     * @param reused whether it was already in the cache
     * @param provenance the content of {@code teacher.json}
     */
    public record Entry(Path directory, String key, boolean reused, JsonNode provenance) {}

    private final Path root;

    public TeacherCache(Path root) {
        this.root = root;
    }

    /**
     * The cached teacher of this recipe and data, trained by {@code training} when there is no complete one.
     *
     * @param dataFiles the files the teacher is made from (their content, not their paths, enters the key)
     * @param gitCommit the commit of the code that trains, recorded in the provenance when known
     */
    public Entry getOrTrain(TeacherRecipe recipe, List<Path> dataFiles, Optional<String> gitCommit,
            Training training) {
        Map<String, String> dataHashes = dataHashes(dataFiles);
        String key = key(recipe, dataHashes);
        Path entry = root.resolve(key);
        try {
            if (Files.exists(entry)) {
                Optional<String> problem = verify(entry);
                if (problem.isEmpty()) {
                    LOG.info("reusing the cached teacher {}", entry);
                    return new Entry(entry, key, true, JSON.readTree(entry.resolve(PROVENANCE).toFile()));
                }
                LOG.warn("the cached teacher {} is incomplete or was modified ({}); training it again", entry,
                        problem.get());
                deleteTree(entry);
            }
            Files.createDirectories(root);
            Path temporary = Files.createTempDirectory(root, ".partial-" + key.substring(0, 12) + "-");
            try {
                Path output = temporary.resolve("teacher");
                long start = System.nanoTime();
                TeacherResult result = training.train(temporary.resolve("work"), output);
                Map<String, Object> provenance = provenance(key, recipe, dataHashes, gitCommit, result,
                        (System.nanoTime() - start) / 1e9);
                JSON.writeValue(output.resolve(PROVENANCE).toFile(), provenance);
                writeManifest(output);
                Files.move(output, entry, StandardCopyOption.ATOMIC_MOVE);
                return new Entry(entry, key, false, JSON.readTree(entry.resolve(PROVENANCE).toFile()));
            } finally {
                deleteTree(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("teacher cache " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * The cache key: sha256 of the recipe's {@link TeacherRecipe#identity}, the data hashes (in the given order)
     * and the seed.
     */
    public static String key(TeacherRecipe recipe, Map<String, String> dataHashes) {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("recipe", recipe.identity());
        identity.put("data", List.copyOf(dataHashes.values()));
        identity.put("seed", recipe.seed());
        try {
            return sha256(new ObjectMapper().writeValueAsBytes(identity));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the cache identity " + identity, e);
        }
    }

    /** File name to sha256, in the given order. */
    public static Map<String, String> dataHashes(List<Path> files) {
        Map<String, String> hashes = new LinkedHashMap<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new BadInputException(file + ": no such data file (the teacher cache hashes every file a"
                        + " teacher is made from)");
            }
            hashes.put(file.getFileName().toString() + (hashes.containsKey(file.getFileName().toString())
                    ? "#" + hashes.size() : ""), sha256(file));
        }
        return hashes;
    }

    /** The sha256 of a file's content, lower-case hex. */
    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest())) {
            MessageDigest digest = ((DigestInputStream) in).getMessageDigest();
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " to hash it", e);
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Empty when the entry is complete, else what is wrong. */
    static Optional<String> verify(Path entry) throws IOException {
        Path manifest = entry.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return Optional.of("no " + MANIFEST);
        }
        JsonNode files;
        try {
            files = JSON.readTree(manifest.toFile()).get("files");
        } catch (IOException e) {
            return Optional.of(MANIFEST + " is not valid JSON");
        }
        if (files == null || !files.isObject() || !files.has(PROVENANCE)) {
            return Optional.of(MANIFEST + " lists no " + PROVENANCE);
        }
        for (Map.Entry<String, JsonNode> file : files.properties()) {
            Path path = entry.resolve(file.getKey());
            if (!Files.isRegularFile(path)) {
                return Optional.of(file.getKey() + " is missing");
            }
            if (!sha256(path).equals(file.getValue().asText())) {
                return Optional.of(file.getKey() + " does not match its sha256 in " + MANIFEST);
            }
        }
        return Optional.empty();
    }

    private static void writeManifest(Path directory) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(directory)) {
            for (Path file : list.filter(Files::isRegularFile).toList()) {
                files.put(file.getFileName().toString(), sha256(file));
            }
        }
        Path temporary = directory.resolve(MANIFEST + ".tmp");
        Files.write(temporary, JSON.writeValueAsString(Map.of("files", files)).getBytes(StandardCharsets.UTF_8));
        Files.move(temporary, directory.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
    }

    private static Map<String, Object> provenance(String key, TeacherRecipe recipe, Map<String, String> dataHashes,
            Optional<String> gitCommit, TeacherResult result, double wallSeconds) {
        Map<String, Object> sensitivity = new LinkedHashMap<>();
        InputSensitivity.Result check = result.sensitivity();
        sensitivity.put("examples", check.examples());
        sensitivity.put("distinct_fraction", check.distinctFraction());
        sensitivity.put("own_source_bleu", check.ownSourceBleu());
        sensitivity.put("shuffled_source_bleu", check.shuffledSourceBleu());
        sensitivity.put("unconditional", check.unconditional());
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("key", key);
        provenance.put("recipe", recipe.canonical());
        provenance.put("data_sha256", dataHashes);
        provenance.put("seed", recipe.seed());
        provenance.put("dev_metrics", new TreeMap<>(result.devMetrics()));
        provenance.put("best_epoch", result.bestEpoch());
        provenance.put("denoising_steps", result.denoisingSteps());
        provenance.put("fine_tune_steps", result.fineTuneSteps());
        provenance.put("input_sensitivity", sensitivity);
        provenance.put("wall_seconds", wallSeconds);
        provenance.put("git_commit", gitCommit.orElse(null));
        provenance.put("created", Instant.now().toString());
        return provenance;
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
