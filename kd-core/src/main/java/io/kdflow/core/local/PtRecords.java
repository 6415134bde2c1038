package io.kdflow.core.local;

import io.kdflow.core.pt.EpochPlan;
import io.kdflow.core.train.TrainingExample;
import java.util.List;
import java.util.Optional;

/** The KD phase's view of its PT records: epoch by epoch, with the epoch size known before the first one. */
public interface PtRecords {

    /** The generated PT file, when this process made one. */
    Optional<PtOutcome> outcome();

    /** What the records are, for the KD phase's key (the PT file, or the stream's PT key). */
    String identity();

    /** Examples of every epoch: the gold pairs plus one PT per input. */
    int epochSize();

    /**
     * The examples of KD epoch {@code epoch} in {@link EpochPlan#epoch}'s order; may block until they are all in.
     */
    List<TrainingExample> epoch(int epoch);

    /** Records read whole into {@code plan}. */
    static PtRecords of(PtOutcome outcome, EpochPlan plan) {
        return new PtRecords() {
            @Override
            public Optional<PtOutcome> outcome() {
                return Optional.of(outcome);
            }

            @Override
            public String identity() {
                return outcome.file();
            }

            @Override
            public int epochSize() {
                return plan.epochSize();
            }

            @Override
            public List<TrainingExample> epoch(int epoch) {
                return plan.epoch(epoch);
            }
        };
    }
}
