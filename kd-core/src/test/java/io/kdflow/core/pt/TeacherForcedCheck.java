package io.kdflow.core.pt;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.decoding.ScoringPair;
import io.kdflow.core.decoding.TargetScore;
import io.kdflow.core.decoding.TeacherForcedScorer;
import io.kdflow.core.decoding.TopKLogProbs;
import io.kdflow.core.wire.SparseDistribution;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;

/** Recomputes a record's distribution with the teacher's teacher-forced log-softmax and compares. */
final class TeacherForcedCheck {

    private TeacherForcedCheck() {}

    /**
     * Every row equals the teacher's teacher-forced log-softmax on the record's own target: the true top-k,
     * sorted, each id's log-prob, and a tail holding the rest of the mass.
     */
    static void assertDistributions(List<PseudoTarget> records, TeacherForcedScorer scorer, int vocabSize, int k) {
        List<TopKLogProbs> full = fullRows(records, scorer, vocabSize);
        for (int i = 0; i < records.size(); i++) {
            PseudoTarget record = records.get(i);
            SparseDistribution distribution = SparseDistribution.fromProto(record.getDistribution());
            String where = record.getExampleId() + " " + record.getKind() + " " + record.getPtIndex();
            assertThat(distribution.positions()).as(where).isEqualTo(record.getTokenIdsCount());
            assertThat(distribution.k()).isEqualTo(k);
            assertThat(distribution.temperature()).isEqualTo(1f);
            for (int p = 0; p < distribution.positions(); p++) {
                float[] sorted = full.get(i).logProbs()[p];
                Map<Integer, Float> byId = new HashMap<>();
                for (int v = 0; v < sorted.length; v++) {
                    byId.put(full.get(i).tokenIds()[p][v], sorted[v]);
                }
                double[] kept = new double[distribution.k() + 1];
                double rest = 0;
                for (int r = 0; r < distribution.k(); r++) {
                    if (r > 0) {
                        assertThat(distribution.logProb(p, r)).isLessThanOrEqualTo(distribution.logProb(p, r - 1));
                    }
                    assertThat(distribution.logProb(p, r)).as(where + " position " + p + " rank " + r)
                            .isCloseTo(sorted[r], Offset.offset(1e-4f))
                            .isCloseTo(byId.get(distribution.tokenId(p, r)), Offset.offset(1e-4f));
                    kept[r] = distribution.logProb(p, r);
                }
                for (int r = distribution.k(); r < sorted.length; r++) {
                    rest += Math.exp(sorted[r]);
                }
                kept[distribution.k()] = distribution.tailLogMass(p);
                assertThat(logSumExp(kept)).as(where + " position " + p + " total mass").isCloseTo(0, Offset.offset(1e-4));
                assertThat(Math.exp(distribution.tailLogMass(p))).isCloseTo(rest, Offset.offset(1e-4));
            }
        }
    }

    /** Full sorted teacher-forced rows (k = vocabulary) of every record's (source, target). */
    static List<TopKLogProbs> fullRows(List<PseudoTarget> records, TeacherForcedScorer scorer, int vocabSize) {
        List<ScoringPair> pairs = new ArrayList<>();
        for (PseudoTarget record : records) {
            pairs.add(new ScoringPair(ids(record.getSourceTokenIdsList()), ids(record.getTokenIdsList())));
        }
        return scorer.score(pairs, vocabSize).stream().map(TargetScore::topK).toList();
    }

    static double logSumExp(double[] values) {
        double max = Arrays.stream(values).max().orElseThrow();
        return max + Math.log(Arrays.stream(values).map(v -> Math.exp(v - max)).sum());
    }

    private static long[] ids(List<Integer> ids) {
        return ids.stream().mapToLong(Integer::longValue).toArray();
    }
}
