package io.kdflow.evaluator.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The evaluator's memory across restarts: {@code reports.jsonl} in the data directory, one JSON line per
 * checkpoint whose reports were all published. A redelivered or replayed checkpoint event that is in the log
 * is not evaluated again. Lines are appended and forced to disk after the broker acknowledged the reports; a crash
 * in between leaves reports on the topic without a line here, which {@link PublishedReports} (read from the topic at
 * startup) covers: such a checkpoint is logged from its reports, and a split's report is never published twice.
 *
 * <p>A torn last line (a crash mid-write) is skipped with a warning; any other unreadable line stops startup.
 */
public final class ReportLog {

    public static final String FILE_NAME = "reports.jsonl";

    private static final Logger LOG = Logger.getLogger(ReportLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<CheckpointId, ReportedCheckpoint> entries = new LinkedHashMap<>();

    private ReportLog(Path file) {
        this.file = file;
    }

    /** Opens (creating the directory) and reads the log of {@code dataDir}. */
    public static ReportLog open(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("evaluator data directory " + dataDir + " is not usable", e);
        }
        ReportLog log = new ReportLog(dataDir.resolve(FILE_NAME));
        log.load();
        return log;
    }

    public synchronized boolean contains(CheckpointId id) {
        return entries.containsKey(id);
    }

    /** Every logged checkpoint, in the order it was reported. */
    public synchronized List<ReportedCheckpoint> entries() {
        return List.copyOf(entries.values());
    }

    /** Appends one checkpoint and forces it to disk. */
    public synchronized void append(ReportedCheckpoint entry) {
        byte[] line;
        try {
            line = (JSON.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise report log entry " + entry.id(), e);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(line));
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
        entries.put(entry.id(), entry);
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<String> nonBlank = new ArrayList<>();
        lines.stream().filter(line -> !line.isBlank()).forEach(nonBlank::add);
        for (int i = 0; i < nonBlank.size(); i++) {
            try {
                ReportedCheckpoint entry = JSON.readValue(nonBlank.get(i), ReportedCheckpoint.class);
                entries.put(entry.id(), entry);
            } catch (JsonProcessingException e) {
                if (i < nonBlank.size() - 1) {
                    throw new IllegalStateException(file + ": unreadable entry " + (i + 1) + ": " + e.getOriginalMessage(), e);
                }
                LOG.warnf("%s: dropping a torn last entry (%s)", file, e.getOriginalMessage());
                rewrite(nonBlank.subList(0, i));
            }
        }
    }

    /** Replaces the file by {@code lines}, so later appends do not follow a torn line. */
    private void rewrite(List<String> lines) {
        Path temp = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            Files.write(temp, lines, StandardCharsets.UTF_8);
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot repair " + file, e);
        }
    }
}
