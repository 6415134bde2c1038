package io.kdflow.core.local;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything a local distillation measured (written as {@code results.json}).
 *
 * @param jobId the job's id
 * @param jobHash {@code JobFile.hash} of the job
 * @param runDir the run's directory
 * @param teacherDir the teacher used
 * @param selectionMetric the dev metric that selected every checkpoint
 * @param pseudoTargets the PT file and its record count; empty when the job has K = 0
 * @param phaseSeconds wall time per phase in this run (0 for a phase reused from an earlier run)
 * @param baseline the CE baseline's training
 * @param kd the KD phase
 * @param finalFineTune the final fine-tune; empty when the job has none
 * @param roles the reported models, in {@link Role} order
 * @param gapClosedTest {@code gap_closed_<metric>} of the KD student on test (KD vs CE baseline vs teacher)
 * @param gapClosedDev the same on dev
 */
public record LocalResult(String jobId, String jobHash, String runDir, String teacherDir, String selectionMetric,
        Optional<PtOutcome> pseudoTargets, Map<String, Double> phaseSeconds, PhaseOutcome baseline,
        PhaseOutcome kd, Optional<PhaseOutcome> finalFineTune, List<RoleResult> roles,
        Map<String, Double> gapClosedTest, Map<String, Double> gapClosedDev) {

    public LocalResult {
        phaseSeconds = new TreeMap<>(phaseSeconds);
        roles = List.copyOf(roles);
    }

    public RoleResult role(Role role) {
        return roles.stream().filter(r -> r.role() == role).findFirst().orElseThrow();
    }
}
