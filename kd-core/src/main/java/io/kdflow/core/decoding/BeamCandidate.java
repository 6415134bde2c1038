package io.kdflow.core.decoding;

/**
 * One of the best continuations of an input at a step.
 *
 * @param beam  the running beam it extends
 * @param score accumulated (processed) log-prob of the whole sequence
 * @param stops it ends here: EOS, or max_new_tokens reached
 */
record BeamCandidate(int beam, BeamNode node, float score, boolean stops) {}
