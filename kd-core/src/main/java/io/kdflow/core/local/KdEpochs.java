package io.kdflow.core.local;

import io.kdflow.core.job.JobSettings;
import io.kdflow.core.pt.EpochPlan;
import io.kdflow.core.pt.PtHandle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The KD phase's {@link EpochPlan}: epoch e = all gold pairs plus PT e mod K of every input (gold only without PTs). */
final class KdEpochs {

    private KdEpochs() {}

    /**
     * @param ptRecords the job's PT records (GOLD and TEACHER); ignored without PTs
     * @param withPts whether the job has PTs (K &gt; 0 and inputs)
     */
    static EpochPlan plan(Collection<? extends PtHandle> ptRecords, boolean withPts, JobSettings settings,
            LocalData data) {
        List<PtHandle> records = new ArrayList<>();
        int k = 0;
        if (withPts) {
            records.addAll(ptRecords);
            k = settings.sampling().numPseudoTargets();
        }
        if (!withPts || !settings.sampling().includeLabeled()) {
            // no GOLD records among the PTs: the gold pairs as text (the student's tokenizer encodes them)
            data.goldPairs().forEach(pair -> records.add(PtHandle.of(pair.record())));
        }
        return EpochPlan.ofHandles(records, new EpochPlan.Options(k, k == 0 ? EpochPlan.Content.GOLD_ONLY
                : EpochPlan.Content.GOLD_AND_PTS, settings.sampling().includeUnlabeled(), settings.training().seed()));
    }
}
