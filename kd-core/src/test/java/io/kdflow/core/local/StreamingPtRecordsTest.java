package io.kdflow.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.pt.PseudoTargetFile;
import io.kdflow.core.train.StepReport;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The student phases on streamed PT records: the tiny job (bart-tiny teacher, K = 2, 2 KD epochs, a final
 * fine-tune) run once by {@code distill --local} and once by {@link StudentPhases} whose
 * {@link StreamingPtRecords} are fed by another thread, in a shuffled order with redeliveries, PT 1 held back
 * until KD waits for epoch 1. Same losses step by step; KD starts before the last PT arrives.
 */
class StreamingPtRecordsTest {

    @TempDir
    static Path temp;

    private static int threadsBefore;
    private static LocalResult local;
    private static StreamingPtRecords records;
    private static StudentPhases.Outcome streamed;
    private static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void runBoth() throws Exception {
        Engine.getInstance();
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        Path folder = TinyJob.prepare(temp.resolve("job"));
        JobSpec spec = TinyJob.spec(folder, TinyJob.yaml(TinyJob.OPTIMIZATION, ""));
        local = new LocalDistillation(spec, LocalOptions.of(temp.resolve("cache")).withRunDir(temp.resolve("local")),
                LocalProgress.NONE).run();
        List<PseudoTarget> file = PseudoTargetFile.readAll(Path.of(local.pseudoTargets().orElseThrow().file()));

        records = new StreamingPtRecords();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> feeder = threads.submit(() -> feed(file));
            JobSettings settings = JobSettings.resolve(spec);
            Future<StudentPhases.Outcome> training = threads.submit(() -> new StudentPhases(spec, settings,
                    StudentPhases.JobData.read(spec, settings), LocalOptions.of(temp.resolve("cache")),
                    temp.resolve("streamed"), LocalProgress.NONE, new Recorder())
                    .run(Path.of(local.teacherDir()), records));
            // A guard against a hang (KD waiting for records the feeder holds back), not a timing assertion.
            streamed = training.get(15, TimeUnit.MINUTES);
            feeder.get(1, TimeUnit.MINUTES);
        } finally {
            records.cancel("test over");
            threads.shutdownNow();
        }
    }

    /** Gold and PT 0 shuffled, some twice; then, once KD waits for epoch 1, PT 1 shuffled. */
    private static Void feed(List<PseudoTarget> file) throws InterruptedException {
        List<PseudoTarget> first = new ArrayList<>(file.stream()
                .filter(r -> r.getKind() == PseudoTarget.Kind.GOLD || r.getPtIndex() == 0).toList());
        List<PseudoTarget> second = new ArrayList<>(file.stream()
                .filter(r -> r.getKind() == PseudoTarget.Kind.TEACHER && r.getPtIndex() == 1).toList());
        Random random = new Random(11);
        Collections.shuffle(first, random);
        Collections.shuffle(second, random);
        int duplicates = 0;
        for (PseudoTarget record : first) {
            records.add(record);
            if (random.nextInt(4) == 0 && !records.add(record)) {
                duplicates++;
            }
        }
        EVENTS.add("redelivered " + duplicates);
        records.awaitWaiting(1);
        EVENTS.add("kd waits for epoch 1");
        for (PseudoTarget record : second) {
            records.add(record);
        }
        EVENTS.add("last PT added");
        return null;
    }

    /** Writes what the training thread reports into {@link #EVENTS}. */
    private static final class Recorder implements TrainingListener {

        @Override
        public void onStep(String phase, StepReport report) {
            if (phase.equals("kd") && report.stepsDone() == 1) {
                EVENTS.add("kd step 1");
            }
        }

        @Override
        public void onEvaluation(Evaluation evaluation) {
            EVENTS.add("evaluation " + evaluation.phase() + " " + evaluation.point().step() + " "
                    + evaluation.checkpoint().getFileName());
        }

        @Override
        public void onPhaseEnd(PhaseOutcome outcome) {
            EVENTS.add("end " + outcome.phase());
        }
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threadsBefore);
    }

    @Test
    void shouldTrainKdWithTheLossesOfTheGeneratedFileStepForStep() {
        List<Double> expected = StepLog.losses(temp.resolve("local/kd/steps.jsonl"));
        assertThat(expected).hasSize(14); // 2 epochs of (12 gold + 16 PTs) / 4 = 7 batches
        assertThat(StepLog.losses(temp.resolve("streamed/kd/steps.jsonl"))).isEqualTo(expected);
        assertThat(StepLog.losses(temp.resolve("streamed/final-fine-tune/steps.jsonl")))
                .isEqualTo(StepLog.losses(temp.resolve("local/final-fine-tune/steps.jsonl")));
        assertThat(streamed.kd().evaluations()).isEqualTo(local.kd().evaluations());
        assertThat(streamed.student().best()).isEqualTo(local.finalFineTune().orElseThrow().best());
        assertThat(streamed.pts()).as("no PT file made in this process").isEmpty();
    }

    @Test
    void shouldStartKdBeforeTheLastPtArrives() {
        List<String> events = List.copyOf(EVENTS);
        assertThat(events.indexOf("kd step 1")).isNotNegative()
                .isLessThan(events.indexOf("kd waits for epoch 1"));
        assertThat(events.indexOf("kd waits for epoch 1")).isLessThan(events.indexOf("last PT added"));
        assertThat(events.get(0)).startsWith("redelivered ").isNotEqualTo("redelivered 0");
    }

    @Test
    void shouldStoreRedeliveredRecordsOnce() {
        int file = PseudoTargetFile.readAll(Path.of(local.pseudoTargets().orElseThrow().file())).size();
        assertThat(records.size()).isEqualTo(file).isEqualTo(12 + 2 * 16);
    }

    @Test
    void shouldTellTheListenerEveryEvaluationWithItsCheckpointAndEveryPhaseEnd() {
        List<String> phaseEvents = EVENTS.stream().filter(e -> e.startsWith("end ") || e.startsWith("evaluation "))
                .toList();
        List<String> expected = new ArrayList<>();
        expected.add("end baseline"); // reused from the cache the local run filled
        for (DevPoint point : local.kd().evaluations()) {
            expected.add("evaluation kd " + point.step() + " "
                    + (point.equals(bestSoFar(local.kd().evaluations(), point)) ? "best" : "last"));
        }
        expected.add("end kd");
        assertThat(phaseEvents.subList(0, expected.size())).isEqualTo(expected);
        assertThat(phaseEvents.get(phaseEvents.size() - 1)).isEqualTo("end final-fine-tune");
        assertThat(phaseEvents.stream().filter(e -> e.startsWith("evaluation final-fine-tune")).count())
                .isEqualTo(local.finalFineTune().orElseThrow().evaluations().size());
    }

    @Test
    void shouldThrowForAWaitingEpochOnceCancelled() throws Exception {
        StreamingPtRecords empty = new StreamingPtRecords();
        Path folder = temp.resolve("job");
        JobSpec spec = TinyJob.spec(folder, TinyJob.yaml(TinyJob.OPTIMIZATION, ""));
        JobSettings settings = JobSettings.resolve(spec);
        StudentPhases.JobData job = StudentPhases.JobData.read(spec, settings);
        PtRecords view = empty.open(new PtSupply.Request(settings, job.data(), null, "teacher", job.prompt(),
                temp.resolve("cache"), LocalProgress.NONE));
        assertThat(view.epochSize()).isEqualTo(12 + 16);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<?> waiting = thread.submit(() -> view.epoch(0));
            empty.awaitWaiting(0);
            assertThat(empty.waitingFor()).contains(0);
            empty.cancel("job deleted");
            assertThat(catchThrowable(() -> waiting.get(1, TimeUnit.MINUTES)))
                    .hasCauseInstanceOf(CancellationException.class).hasMessageContaining("job deleted");
        } finally {
            thread.shutdownNow();
        }
    }

    /** The best (lowest NLL, the tiny job's selection metric) of the evaluations up to {@code point}. */
    private static DevPoint bestSoFar(List<DevPoint> evaluations, DevPoint point) {
        DevPoint best = null;
        for (DevPoint p : evaluations) {
            if (best == null || p.metrics().get("nll") < best.metrics().get("nll")) {
                best = p;
            }
            if (p.equals(point)) {
                break;
            }
        }
        return best;
    }
}
