package io.kdflow.core.train;

import java.util.List;
import java.util.Optional;

/** Micro-batches of training examples in training order, with a position that checkpoints save. */
public interface BatchSource {

    /** The next micro-batch; empty when none is available now (see {@link #exhausted}). */
    Optional<List<TrainingExample>> next();

    /** True when no micro-batch will ever come again (a finite source past its last epoch). */
    boolean exhausted();

    /** Where the source stands: the next {@link #next} continues from here. */
    DataPosition position();

    /** Moves to a saved position (a resumed run). */
    void seek(DataPosition position);
}
