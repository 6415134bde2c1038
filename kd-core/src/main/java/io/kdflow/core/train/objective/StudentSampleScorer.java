package io.kdflow.core.train.objective;

import io.kdflow.core.wire.SparseDistribution;
import java.util.List;

/**
 * The teacher's sparse distributions on Joint-Teaching's student samples, wherever the teacher runs: in the
 * process ({@link TeacherForcedSampleScorer}) or in teacher-service over Kafka (the student-trainer's remote
 * scorer, which publishes {@code StudentSample} records and waits for the {@code StudentScores}).
 */
public interface StudentSampleScorer {

    /**
     * Scores every sample teacher-forced; blocks until all are scored.
     *
     * @return one distribution per sample, in order; row p is the teacher's next-token distribution where sample
     *     token p is predicted (source and the sample's tokens before p given), at temperature 1
     * @throws io.kdflow.core.error.BadInputException when the teacher rejects a sample (vocabulary, length) or does
     *     not answer in time
     */
    List<SparseDistribution> score(StudentSamples samples);
}
