package io.kdflow.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.core.error.BadInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code training_state.json} of a checkpoint: optimizer steps done, the schedule they ran under, the
 * data position and, for an objective that keeps one, its state ({@link TrainingObjective#state}), e.g.
 * {@code {"format":1,"steps":6,"schedule":{...},"data":{"epoch":1,"index":2,"seed":42},"objective_state":{...}}}.
 */
final class TrainingStateFile {

    static final String FILE = "training_state.json";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the file holds; {@code objective} is empty when the objective keeps no state. */
    record State(long steps, LinearWarmupDecay schedule, DataPosition data, Optional<JsonNode> objective) {}

    private TrainingStateFile() {}

    static void write(Path directory, State state) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("steps", state.steps());
        ObjectNode schedule = root.putObject("schedule");
        schedule.put("peak_rate", state.schedule().peakRate());
        schedule.put("warmup_steps", state.schedule().warmupSteps());
        schedule.put("total_steps", state.schedule().totalSteps());
        ObjectNode data = root.putObject("data");
        data.put("epoch", state.data().epoch());
        data.put("index", state.data().index());
        data.put("seed", state.data().seed());
        state.objective().ifPresent(objective -> root.set("objective_state", objective));
        JSON.writerWithDefaultPrettyPrinter().writeValue(directory.resolve(FILE).toFile(), root);
    }

    static State read(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        JsonNode root = JSON.readTree(file.toFile());
        if (root == null || root.path("format").asInt() != FORMAT) {
            throw new BadInputException(file + ": 'format' must be " + FORMAT);
        }
        JsonNode schedule = require(root, "schedule", file);
        JsonNode data = require(root, "data", file);
        return new State(require(root, "steps", file).asLong(),
                new LinearWarmupDecay(require(schedule, "peak_rate", file).asDouble(),
                        require(schedule, "warmup_steps", file).asLong(), require(schedule, "total_steps", file).asLong()),
                new DataPosition(require(data, "epoch", file).asInt(), require(data, "index", file).asLong(),
                        require(data, "seed", file).asLong()),
                Optional.ofNullable(root.get("objective_state")).filter(node -> !node.isNull()));
    }

    private static JsonNode require(JsonNode node, String field, Path file) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new BadInputException(file + ": field '" + field + "' is missing");
        }
        return value;
    }
}
