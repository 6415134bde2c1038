package io.kdflow.sampler.sampling;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.pt.PtInput;
import java.util.function.Consumer;

/**
 * An input the sampler holds until all its records are published.
 *
 * @param input what the teacher writes PTs for
 * @param ack acknowledges the input's record (its offset may then be committed)
 * @param reject dead-letters the input's record with the reason (then acknowledges it)
 */
public record HeldInput(PtInput input, Runnable ack, Consumer<BadInputException> reject) {}
