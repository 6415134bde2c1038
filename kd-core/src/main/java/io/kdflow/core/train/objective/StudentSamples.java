package io.kdflow.core.train.objective;

import java.util.List;

/**
 * What one Joint-Teaching student step sampled, as the teacher scores it: per row the example id, its source token
 * ids (a decoder-only student's prompt) and the student's sampled target tokens (no decoder start token, the
 * continuation only for a decoder-only student).
 *
 * @param step the optimizer step that sampled them (0-based)
 * @param exampleIds one per row
 * @param sources (B) rows of source token ids, as the batch encoded them
 * @param samples (B) rows of sampled target token ids, each at least one token
 */
public record StudentSamples(long step, List<String> exampleIds, long[][] sources, long[][] samples) {

    public StudentSamples {
        exampleIds = List.copyOf(exampleIds);
        if (exampleIds.size() != sources.length || sources.length != samples.length) {
            throw new IllegalArgumentException("student samples need one example id, source and sample per row, got "
                    + exampleIds.size() + ", " + sources.length + " and " + samples.length);
        }
    }

    public int size() {
        return samples.length;
    }
}
