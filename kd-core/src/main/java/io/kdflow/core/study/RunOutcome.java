package io.kdflow.core.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.local.Role;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a finished run measured, read back from its {@code results.json} (so a reused run and a fresh one are
 * read the same way).
 *
 * @param jobHash the run's key as the run wrote it
 * @param roles each reported model's dev and test metrics and its directory
 * @param phaseSeconds wall time per phase as the run that computed them measured (0 for a phase it reused)
 */
public record RunOutcome(String jobHash, Map<Role, Scores> roles, Map<String, Double> phaseSeconds) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One model's numbers: its Hugging Face directory (empty for the copy baseline), dev and test metrics. */
    public record Scores(String dir, Map<String, Double> dev, Map<String, Double> test) {}

    public Scores role(Role role) {
        Scores scores = roles.get(role);
        if (scores == null) {
            throw new IllegalStateException("the run " + jobHash + " reported no " + role);
        }
        return scores;
    }

    /** The sum of the phase times: the run's wall time, less what it reused. */
    public double seconds() {
        return phaseSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** @throws BadInputException for a file that is not a run's {@code results.json} */
    public static RunOutcome read(Path resultsFile) {
        JsonNode root;
        try {
            root = JSON.readTree(resultsFile.toFile());
        } catch (IOException e) {
            throw new BadInputException(resultsFile + ": cannot read the run's results: " + e.getMessage(), e);
        }
        if (root == null || !root.path("roles").isArray() || !root.hasNonNull("job_hash")) {
            throw new BadInputException(resultsFile + ": not a run's results.json (no job_hash or roles)");
        }
        Map<Role, Scores> roles = new EnumMap<>(Role.class);
        for (JsonNode role : root.path("roles")) {
            roles.put(Role.valueOf(role.path("role").asText()), new Scores(role.path("dir").asText(""),
                    numbers(role.path("dev")), numbers(role.path("test"))));
        }
        return new RunOutcome(root.path("job_hash").asText(), roles, numbers(root.path("phase_seconds")));
    }

    private static Map<String, Double> numbers(JsonNode object) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getValue().isNumber()) {
                values.put(entry.getKey(), entry.getValue().asDouble());
            }
        }
        return values;
    }
}
