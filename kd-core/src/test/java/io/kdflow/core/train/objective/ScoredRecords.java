package io.kdflow.core.train.objective;

import io.kdflow.core.train.PairBatch;
import io.kdflow.core.train.TrainingBatch;
import io.kdflow.core.train.TrainingExample;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.TeacherDistribution;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test records for remote Joint-Teaching: a batch's examples as GOLD-like records whose ids are the batch's own and
 * whose distribution is a scorer's teacher-forced one on their labels (exact at k = vocabulary, fp32), as the PT
 * records of a streaming run carry it.
 */
public final class ScoredRecords {

    private ScoredRecords() {}

    /** The source ids of each row of the batch. */
    public static long[][] sources(TrainingBatch batch) {
        PairBatch pairs = batch.pairs();
        long[][] sources = new long[pairs.labels().length][];
        for (int row = 0; row < sources.length; row++) {
            sources[row] = pairs.sourceIds(row);
        }
        return sources;
    }

    /** The batch's examples with their ids and {@code scorer}'s distribution on their labels. */
    public static List<TrainingExample> withTeacherRecords(TrainingBatch batch, TeacherForcedSampleScorer scorer) {
        long[][] sources = sources(batch);
        long[][] labels = Arrays.stream(batch.pairs().labels())
                .map(row -> Arrays.stream(row).filter(id -> id != PairBatch.IGNORED).toArray()).toArray(long[][]::new);
        List<TeacherDistribution> distributions = scorer.distributions(sources, labels);
        List<TrainingExample> examples = new ArrayList<>();
        for (int b = 0; b < labels.length; b++) {
            PseudoTarget.Builder record = batch.examples().get(b).record().toBuilder()
                    .setDistribution(distributions.get(b));
            Arrays.stream(sources[b]).forEach(id -> record.addSourceTokenIds((int) id));
            Arrays.stream(labels[b]).forEach(id -> record.addTokenIds((int) id));
            examples.add(new TrainingExample(record.build()));
        }
        return examples;
    }
}
