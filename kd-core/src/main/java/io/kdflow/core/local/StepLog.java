package io.kdflow.core.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.core.train.StepReport;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code steps.jsonl} of a training phase: one line per optimizer step ({@code step}, {@code loss},
 * {@code learning_rate}, {@code gradient_norm}), doubles written exactly. A resumed phase first cuts the
 * lines of the steps it is about to take again, so the file always reads as one uninterrupted run.
 */
public final class StepLog implements AutoCloseable {

    public static final String FILE = "steps.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter out;

    /** Opens the log of a phase that stands at {@code stepsDone} optimizer steps. */
    StepLog(Path file, long stepsDone) {
        try {
            List<String> kept = new ArrayList<>();
            if (Files.isRegularFile(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                        .filter(line -> !line.isBlank()).toList();
                for (int i = 0; i < lines.size(); i++) {
                    // a crash mid-append can tear the last line; that step is redone after the resume anyway
                    if (i == lines.size() - 1 && !parses(lines.get(i))) {
                        break;
                    }
                    if (parse(lines.get(i)).path("step").asLong() < stepsDone) {
                        kept.add(lines.get(i));
                    }
                }
            }
            Files.createDirectories(file.getParent());
            Files.write(file, kept, StandardCharsets.UTF_8);
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    void append(StepReport report) {
        ObjectNode line = JSON.createObjectNode();
        line.put("step", report.result().step());
        line.put("loss", report.result().loss());
        line.put("learning_rate", report.result().learningRate());
        double norm = report.result().gradientNorm();
        if (Double.isFinite(norm)) {
            line.put("gradient_norm", norm);
        } else {
            line.putNull("gradient_norm"); // clipping off: no norm was measured
        }
        try {
            out.write(JSON.writeValueAsString(line));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the step log: " + e.getMessage(), e);
        }
    }

    /** The losses of a phase's log, in step order. */
    public static List<Double> losses(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(line -> !line.isBlank())
                    .map(line -> parse(line).path("loss").asDouble()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static boolean parses(String line) {
        try {
            JSON.readTree(line);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException("not a step line: " + line, e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the step log", e);
        }
    }
}
