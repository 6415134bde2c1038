package io.kdflow.core.study;

import java.util.List;
import java.util.Optional;

/**
 * A stage as run: its options' results and the option chosen on dev, or why it did not run.
 *
 * @param chosen the id of the option carried into the next stages
 * @param notRun why the stage has no results (empty when it ran)
 */
public record StageResult(Stage stage, List<OptionResult> options, String chosen, Optional<String> notRun) {

    public StageResult {
        options = List.copyOf(options);
    }

    public Optional<OptionResult> option(String id) {
        return options.stream().filter(o -> o.run().option().id().equals(id)).findFirst();
    }
}
