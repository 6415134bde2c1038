package io.kdflow.cli.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.local.StepLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The trainer's optimizer steps as its step logs ({@code steps.jsonl} of each phase, kd-core {@link StepLog}) in a
 * model store record them: per log (its path in the store), the lines in file order. The chaos matrix compares a
 * killed run's steps with the uninterrupted run's, and watches them grow to time the trainer's recovery.
 *
 * @param logs per log path relative to the store, its steps in file order
 */
record StepLogs(Map<String, List<Step>> logs) {

    /** One line: the step number and its loss, as written (doubles are written exactly). */
    record Step(long step, double loss) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    StepLogs {
        logs = java.util.Collections.unmodifiableMap(new TreeMap<>(logs)); // by path, for stable reports
    }

    /** Every step log under {@code store} (none when it does not exist yet); a half-written last line is skipped. */
    static StepLogs read(Path store) {
        Map<String, List<Step>> logs = new TreeMap<>();
        if (!Files.isDirectory(store)) {
            return new StepLogs(logs);
        }
        try (Stream<Path> files = Files.walk(store)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals(StepLog.FILE)).toList()) {
                logs.put(store.relativize(file).toString(), steps(file));
            }
        } catch (IOException | UncheckedIOException e) {
            // a directory the trainer is replacing right now: read again on the next look
            return new StepLogs(logs);
        }
        return new StepLogs(logs);
    }

    private static List<Step> steps(Path file) throws IOException {
        List<Step> steps = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException gone) {
            return steps;
        }
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(line);
                steps.add(new Step(node.path("step").asLong(), node.path("loss").asDouble()));
            } catch (IOException halfWritten) {
                // the trainer is writing this line
            }
        }
        return steps;
    }

    /** All steps taken, over every log. */
    int size() {
        return logs.values().stream().mapToInt(List::size).sum();
    }

    /** Whether some log has a step number that {@code before} did not have: the trainer went past that point. */
    boolean hasStepBeyond(StepLogs before) {
        for (Map.Entry<String, List<Step>> log : logs.entrySet()) {
            List<Step> earlier = before.logs.getOrDefault(log.getKey(), List.of());
            long last = earlier.stream().mapToLong(Step::step).max().orElse(-1);
            if (log.getValue().stream().anyMatch(step -> step.step() > last)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The steps of a run against the uninterrupted run's.
     *
     * @param differences one line per difference (empty: the same steps, every loss within the tolerance)
     * @param compared steps found in both
     * @param exact steps whose losses are bit-equal
     * @param maxRelative the largest |loss - reference| / |reference| over the compared steps
     */
    record Comparison(List<String> differences, int compared, int exact, double maxRelative) {}

    /**
     * How these steps differ from {@code reference}'s: a log missing or extra, a step missing, extra or logged twice,
     * a loss further than {@code relativeTolerance} x |reference loss| from the reference's.
     */
    Comparison compareWith(StepLogs reference, double relativeTolerance) {
        List<String> differences = new ArrayList<>();
        int compared = 0;
        int exact = 0;
        double maxRelative = 0;
        for (Map.Entry<String, List<Step>> log : reference.logs.entrySet()) {
            List<Step> ours = logs.get(log.getKey());
            if (ours == null) {
                differences.add(log.getKey() + ": missing (the reference took " + log.getValue().size() + " steps)");
                continue;
            }
            Map<Long, Double> expected = byStep(log.getValue(), log.getKey(), new ArrayList<>());
            Map<Long, Double> actual = byStep(ours, log.getKey(), differences);
            for (Map.Entry<Long, Double> step : expected.entrySet()) {
                Double loss = actual.get(step.getKey());
                if (loss == null) {
                    differences.add(log.getKey() + ": step " + step.getKey() + " missing");
                    continue;
                }
                compared++;
                double expectedLoss = step.getValue();
                double relative = Math.abs(loss - expectedLoss) / Math.max(Math.abs(expectedLoss), Double.MIN_NORMAL);
                if (Double.doubleToLongBits(loss) == Double.doubleToLongBits(expectedLoss)) {
                    exact++;
                } else if (!(relative <= relativeTolerance)) { // NaN too
                    differences.add(log.getKey() + ": step " + step.getKey() + " loss " + loss + " vs " + expectedLoss
                            + " uninterrupted");
                }
                if (Double.isFinite(relative)) {
                    maxRelative = Math.max(maxRelative, relative);
                }
            }
            actual.keySet().stream().filter(step -> !expected.containsKey(step))
                    .forEach(step -> differences.add(log.getKey() + ": step " + step + " not in the reference"));
        }
        logs.keySet().stream().filter(log -> !reference.logs.containsKey(log))
                .forEach(log -> differences.add(log + ": not in the reference"));
        return new Comparison(differences, compared, exact, maxRelative);
    }

    private static Map<Long, Double> byStep(List<Step> steps, String log, List<String> duplicates) {
        Map<Long, Double> byStep = new LinkedHashMap<>();
        for (Step step : steps) {
            if (byStep.put(step.step(), step.loss()) != null) {
                duplicates.add(log + ": step " + step.step() + " logged twice");
            }
        }
        return byStep;
    }
}
