package io.kdflow.core.job;

import java.util.List;

/**
 * Where the student comes from ({@code JobSpec.student}).
 *
 * @param initUri model-store URI or directory to start from (source DIR); empty otherwise
 * @param keepEncoderLayers encoder layers kept when pruning the teacher or the directory (negative indices count
 *     from the end); empty = all
 * @param keepDecoderLayers decoder layers kept when pruning; empty = all
 * @param source pruned teacher, a new model of a config, or a Hugging Face directory
 * @param configUri the config.json of source CONFIG; empty otherwise
 */
public record StudentSettings(String initUri, List<Integer> keepEncoderLayers, List<Integer> keepDecoderLayers,
        Source source, String configUri) {

    public enum Source { PRUNED_TEACHER, CONFIG, DIR }

    public StudentSettings {
        keepEncoderLayers = List.copyOf(keepEncoderLayers);
        keepDecoderLayers = List.copyOf(keepDecoderLayers);
        if ((source == Source.DIR) == initUri.isEmpty() || (source == Source.CONFIG) == configUri.isEmpty()) {
            throw new IllegalArgumentException("inconsistent student settings: " + this);
        }
    }

    /** A pruned teacher when {@code initUri} is empty, else that directory. */
    public StudentSettings(String initUri, List<Integer> keepEncoderLayers, List<Integer> keepDecoderLayers) {
        this(initUri, keepEncoderLayers, keepDecoderLayers, initUri.isEmpty() ? Source.PRUNED_TEACHER : Source.DIR,
                "");
    }

    /** Whether the student starts from its own model rather than a pruned teacher. */
    public boolean hasInit() {
        return !initUri.isEmpty();
    }
}
