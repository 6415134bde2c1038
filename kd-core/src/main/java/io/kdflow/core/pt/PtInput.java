package io.kdflow.core.pt;

import io.kdflow.core.wire.proto.Split;
import java.util.Objects;

/**
 * One input the teacher writes pseudo-targets for: a labeled training pair (its gold target is kept, and
 * gets a GOLD record) or an unlabeled input (no gold).
 *
 * @param exampleId  stable id; also the key of the input's random streams, so its samples do not depend on
 *                   the batch it is decoded in
 * @param split      {@link Split#TRAIN} (labeled) or {@link Split#UNLABELED}
 * @param source     the input text
 * @param goldTarget the gold target of a labeled input; null for an unlabeled one
 */
public record PtInput(String exampleId, Split split, String source, String goldTarget) {

    public PtInput {
        Objects.requireNonNull(exampleId, "exampleId");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(source, "source");
        if (exampleId.isEmpty()) {
            throw new IllegalArgumentException("example id must not be empty");
        }
        if (split == Split.TRAIN && goldTarget == null) {
            throw new IllegalArgumentException("labeled input " + exampleId + " needs a gold target");
        }
        if (split == Split.UNLABELED && goldTarget != null) {
            throw new IllegalArgumentException("unlabeled input " + exampleId + " must not carry a gold target");
        }
        if (split != Split.TRAIN && split != Split.UNLABELED) {
            throw new IllegalArgumentException("input " + exampleId + ": PTs are written for TRAIN or UNLABELED "
                    + "inputs, got " + split);
        }
    }

    /** A labeled training pair. */
    public static PtInput labeled(String exampleId, String source, String goldTarget) {
        return new PtInput(exampleId, Split.TRAIN, source, goldTarget);
    }

    /** An input without a gold target. */
    public static PtInput unlabeled(String exampleId, String source) {
        return new PtInput(exampleId, Split.UNLABELED, source, null);
    }

    public boolean labeled() {
        return split == Split.TRAIN;
    }
}
