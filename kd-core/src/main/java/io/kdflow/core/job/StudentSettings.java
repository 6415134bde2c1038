package io.kdflow.core.job;

import java.util.List;

/**
 * Where the student comes from ({@code JobSpec.student}).
 *
 * @param initUri model-store URI to start from; empty = the teacher with layers pruned
 * @param keepEncoderLayers encoder layers kept when pruning (negative indices count from the end); empty = all
 * @param keepDecoderLayers decoder layers kept when pruning; empty = all
 */
public record StudentSettings(String initUri, List<Integer> keepEncoderLayers, List<Integer> keepDecoderLayers) {

    public StudentSettings {
        keepEncoderLayers = List.copyOf(keepEncoderLayers);
        keepDecoderLayers = List.copyOf(keepDecoderLayers);
    }

    /** Whether the student starts from its own model rather than a pruned teacher. */
    public boolean hasInit() {
        return !initUri.isEmpty();
    }
}
