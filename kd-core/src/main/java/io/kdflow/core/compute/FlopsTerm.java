package io.kdflow.core.compute;

/**
 * One named group of matrix multiplies of a forward pass, e.g. {@code decoder.cross_attention.scores}.
 *
 * @param name where in the model the multiplies happen
 * @param macs multiply-accumulates of the group, summed over its layers
 */
public record FlopsTerm(String name, long macs) {

    public FlopsTerm {
        if (macs < 0) {
            throw new IllegalArgumentException("term " + name + " has negative MACs " + macs);
        }
    }
}
