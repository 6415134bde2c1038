package io.kdflow.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdflow.core.testing.EvalReportRun;
import io.kdflow.core.wire.Topics;
import io.kdflow.core.wire.proto.EvalReport;
import io.kdflow.core.wire.proto.ModelRole;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The best checkpoint in the metric's direction, the earliest step on a tie. */
class CheckpointSelectionTest {

    /** A checkpoint's step and its metrics by split. */
    private record Candidate(long step, Map<String, Map<String, Double>> splits) {}

    @Test
    void shouldPickTheBestValueAndTheEarliestStepOnATieInEitherDirection() {
        List<Candidate> students = candidates(ModelRole.STUDENT);

        EvalReportRun.EXPECTED.forEach((metric, expected) -> assertThat(CheckpointSelection.onDev(metric)
                .best(students, Candidate::step, Candidate::splits).orElseThrow().step())
                .as(metric).isEqualTo(expected.bestStudentStep()));
        assertThat(CheckpointSelection.onDev("nll").direction()).isEqualTo(Direction.LOWER_IS_BETTER);
    }

    @Test
    void shouldSkipCheckpointsWithoutTheMetricOnTheSplit() {
        List<Candidate> candidates = List.of(new Candidate(1, Map.of("test", Map.of("bleu", 99.0))),
                new Candidate(2, Map.of("dev", Map.of("chrf", 50.0))), new Candidate(3, Map.of("dev", Map.of("bleu", 1.0))));
        CheckpointSelection selection = CheckpointSelection.onDev("bleu");

        assertThat(selection.best(candidates, Candidate::step, Candidate::splits).orElseThrow().step()).isEqualTo(3);
        assertThat(selection.best(candidates.subList(0, 2), Candidate::step, Candidate::splits)).isEmpty();
        assertThat(new CheckpointSelection("bleu", "test").best(candidates, Candidate::step, Candidate::splits)
                .orElseThrow().step()).isEqualTo(1);
        assertThatThrownBy(() -> new CheckpointSelection(" ", "dev")).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Candidate> candidates(ModelRole role) {
        Map<Long, Map<String, Map<String, Double>>> byStep = new LinkedHashMap<>();
        for (EvalReport report : EvalReportRun.records()) {
            if (report.getRole() == role) {
                byStep.computeIfAbsent(report.getStep(), step -> new LinkedHashMap<>())
                        .put(Topics.keyName(report.getSplit()), report.getMetricsMap());
            }
        }
        return byStep.entrySet().stream().map(e -> new Candidate(e.getKey(), e.getValue())).toList();
    }
}
