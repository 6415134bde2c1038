package io.kdflow.core.local;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.local.EvaluationSchedule.Point;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where dev evaluations fall, which one is the best, and where early stopping ends a phase. */
class LocalSelectionTest {

    @TempDir
    Path temp;

    @Test
    void shouldPlaceTheEvaluationsEvenlyInEveryEpoch() {
        assertThat(EvaluationSchedule.of(2, 7, 1, 2, 100))
                .containsExactly(new Point(4, 1), new Point(7, 1), new Point(11, 2), new Point(14, 2));
        assertThat(EvaluationSchedule.of(3, 10, 1, 1, 100))
                .containsExactly(new Point(10, 1), new Point(20, 2), new Point(30, 3));
        // accumulation carries micro-batches across epochs: 2 epochs x 5 micro-batches, 3 per step
        assertThat(EvaluationSchedule.of(2, 5, 3, 2, 100))
                .containsExactly(new Point(1, 1), new Point(2, 1), new Point(3, 2), new Point(4, 2));
        assertThat(EvaluationSchedule.totalSteps(2, 5, 3)).isEqualTo(4);
        // the schedule ends at step 9: the last evaluation moves there, later ones are dropped
        assertThat(EvaluationSchedule.of(2, 7, 1, 2, 9))
                .containsExactly(new Point(4, 1), new Point(7, 1), new Point(9, 2));
        // more evaluations than batches: one per step, no repeats
        assertThat(EvaluationSchedule.of(1, 2, 1, 4, 100)).containsExactly(new Point(1, 1), new Point(2, 1));
    }

    @Test
    void shouldKeepTheEarliestBestAndCountTheEvaluationsSinceIt() {
        SelectedTraining.History bleu = new SelectedTraining.History(new ArrayList<>(), null, false);
        assertThat(bleu.offer(point(2, 10.0), "bleu")).isTrue();
        assertThat(bleu.offer(point(4, 12.0), "bleu")).isTrue();
        assertThat(bleu.offer(point(6, 12.0), "bleu")).as("a tie keeps the earlier").isFalse();
        assertThat(bleu.offer(point(8, 11.0), "bleu")).isFalse();
        assertThat(bleu.best.step()).isEqualTo(4);
        assertThat(bleu.sinceBest()).isEqualTo(2);
        SelectedTraining.History nll = new SelectedTraining.History(new ArrayList<>(), point(3, 2.0), false);
        assertThat(nll.offer(point(5, 2.5), "nll")).as("lower is better for nll; the start is the first best")
                .isFalse();
        assertThat(nll.offer(point(7, 1.5), "nll")).isTrue();
        assertThat(nll.sinceBest()).isZero();
    }

    @Test
    void shouldStopAtTheFirstEvaluationThatDoesNotImproveWithPatienceOne() {
        Engine.getInstance();
        int threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try {
            String optimization = """
                    epochs: 4
                    batch_size: 4
                    learning_rate: 0.05
                    early_stopping_patience: 1
                    """;
            LocalResult result = new LocalDistillation(TinyJob.spec(TinyJob.prepare(temp.resolve("job")),
                    TinyJob.yaml(optimization, "")), LocalOptions.of(temp.resolve("cache"))
                    .withRunDir(temp.resolve("run")), LocalProgress.NONE).run();
            PhaseOutcome kd = result.kd();
            List<Point> schedule = EvaluationSchedule.of(4, 7, 1, 2, 28);
            int expected = schedule.size();
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < kd.evaluations().size(); i++) {
                double nll = kd.evaluations().get(i).metrics().get("nll");
                if (nll >= best) {
                    expected = i + 1;
                    break;
                }
                best = nll;
            }
            assertThat(kd.stoppedEarly()).as("a learning rate of 0.05 makes dev NLL go up at some point").isTrue();
            assertThat(kd.evaluations()).hasSize(expected);
            assertThat(kd.evaluations()).extracting(DevPoint::step)
                    .containsExactlyElementsOf(schedule.subList(0, expected).stream().map(Point::step).toList());
            assertThat(StepLog.losses(temp.resolve("run/kd/steps.jsonl")))
                    .as("no step after the stopping evaluation").hasSize((int) schedule.get(expected - 1).step());
            assertThat(kd.best()).isEqualTo(kd.evaluations().get(expected - 2));
        } finally {
            JniUtils.setNumThreads(threadsBefore);
        }
    }

    private static DevPoint point(long step, double value) {
        return new DevPoint(step, 1, 0, step, Map.of("bleu", value, "nll", value));
    }
}
