package io.kdflow.core.pt;

import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.Split;
import java.util.Objects;

/**
 * One PT record as an epoch plan sees it: the fields it sorts and checks by, and the whole record (tokens and
 * teacher distribution, the bulk of its bytes) on demand. A handle of a {@link PseudoTargetFile} holds the
 * record's byte offset and reads it from the file at {@link #load}, so a trainer with many records keeps
 * only the small fields in memory; {@link #of} wraps a record already in memory.
 */
public interface PtHandle {

    String exampleId();

    PseudoTarget.Kind kind();

    /** Index among the example's K PTs (0 for gold records). */
    int ptIndex();

    Split split();

    /** The record's {@code num_pseudo_targets} (uint32 bits). */
    int numPseudoTargets();

    /** The whole record. */
    PseudoTarget load();

    /** A handle of a record held in memory. */
    static PtHandle of(PseudoTarget record) {
        return new Held(record);
    }

    /** A record held in memory. */
    record Held(PseudoTarget record) implements PtHandle {

        public Held {
            Objects.requireNonNull(record, "record");
        }

        @Override
        public String exampleId() {
            return record.getExampleId();
        }

        @Override
        public PseudoTarget.Kind kind() {
            return record.getKind();
        }

        @Override
        public int ptIndex() {
            return record.getPtIndex();
        }

        @Override
        public Split split() {
            return record.getSplit();
        }

        @Override
        public int numPseudoTargets() {
            return record.getNumPseudoTargets();
        }

        @Override
        public PseudoTarget load() {
            return record;
        }
    }
}
