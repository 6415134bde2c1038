package io.kdflow.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.kdflow.core.error.BadInputException;
import java.util.Optional;

/**
 * The loss of one micro-batch for the student being trained. Implementations hold what they need besides
 * the batch (the student, a teacher replica in-process, a sampler of the current student).
 */
public interface TrainingObjective {

    /** Name recorded in checkpoints, e.g. {@code cross-entropy}. */
    String name();

    /**
     * A scalar loss, mean over the micro-batch, with autograd on; arrays it creates belong to {@code manager}.
     *
     * @param step the optimizer step this micro-batch counts towards (0 = first), so objectives that
     *     alternate between kinds of steps (Joint-Teaching) know which one this is
     */
    NDArray loss(NDManager manager, TrainingBatch batch, long step);

    /**
     * What a resumed run needs of this objective besides the weights and the optimizer (e.g. loss scales fixed
     * before training), as JSON; empty for an objective that keeps no state (the default).
     * {@link TrainingLoop#save} writes it into {@code training_state.json}, {@link TrainingLoop#restore} hands it
     * back to {@link #restoreState}.
     */
    default Optional<JsonNode> state() {
        return Optional.empty();
    }

    /**
     * Restores what {@link #state} returned in an earlier run of the same objective.
     *
     * @throws BadInputException when the state does not fit this objective (the default: it keeps none)
     */
    default void restoreState(JsonNode state) {
        throw new BadInputException("objective " + name() + " keeps no state, but the checkpoint has " + state);
    }
}
