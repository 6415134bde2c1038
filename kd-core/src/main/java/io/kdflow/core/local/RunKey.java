package io.kdflow.core.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kdflow.core.teacher.TeacherCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** sha256 keys of what made a phase's output: the key of a cache entry or of a phase marker. */
final class RunKey {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private RunKey() {}

    /** sha256 (hex) of the identity's JSON, map keys sorted; values are strings, numbers, lists or maps. */
    static String of(Map<String, ?> identity) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(new TreeMap<>(identity));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the key identity " + identity, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The sha256 of every regular file of a directory (not its sub-directories, not a phase marker, which
     * names the run), by file name.
     */
    static Map<String, String> directory(Path directory) {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> Files.isRegularFile(f)
                    && !f.getFileName().toString().startsWith(PhaseMarker.FILE)).toList()) {
                hashes.put(file.getFileName().toString(), TeacherCache.sha256(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        return hashes;
    }

    /** The key of a teacher: its files' content (PT records carry it as their model revision). */
    static String teacher(Path teacherDirectory) {
        return of(Map.of("files", directory(teacherDirectory)));
    }

    /** The sha256 of each file, in order. */
    static List<String> files(List<Path> files) {
        return files.stream().map(TeacherCache::sha256).toList();
    }
}
