package io.kdflow.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DecodingWorkersTest {

    private static final List<Integer> BATCHES = IntStream.range(0, 20).boxed().toList();

    @Test
    void shouldHandBackEveryResultInBatchOrderOnTheCallingThread() {
        Set<String> workerThreads = ConcurrentHashMap.newKeySet();
        Set<Integer> workerIntraOp = ConcurrentHashMap.newKeySet();
        List<String> delivered = new ArrayList<>();
        List<String> deliveringThreads = new ArrayList<>();

        try (DecodingWorkers workers = DecodingWorkers.of(2, 1)) {
            workers.run(BATCHES, batch -> {
                workerThreads.add(Thread.currentThread().getName());
                workerIntraOp.add(JniUtils.getNumThreads());
                sleepMillis((batch * 7) % 5); // later batches often finish first
                return "result-" + batch;
            }, (batch, result) -> {
                delivered.add(batch + ":" + result);
                deliveringThreads.add(Thread.currentThread().getName());
            });
        }

        assertThat(delivered).containsExactlyElementsOf(BATCHES.stream().map(b -> b + ":result-" + b).toList());
        assertThat(deliveringThreads).containsOnly(Thread.currentThread().getName());
        assertThat(workerThreads).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("decoding-"));
        assertThat(workerIntraOp).containsOnly(1);
    }

    @Test
    void shouldRethrowTheFirstFailureAfterTheStartedBatchesFinishAndStartNoMore() {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        List<Integer> delivered = new ArrayList<>();

        try (DecodingWorkers workers = DecodingWorkers.of(2, 1)) {
            assertThatThrownBy(() -> workers.run(BATCHES, batch -> {
                started.incrementAndGet();
                running.incrementAndGet();
                try {
                    if (batch == 3) {
                        throw new IllegalArgumentException("batch 3 is malformed");
                    }
                    sleepMillis(5);
                    return batch;
                } finally {
                    running.decrementAndGet();
                }
            }, (batch, result) -> delivered.add(result)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("batch 3 is malformed");
            assertThat(running.get()).as("no batch still running when the failure surfaces").isZero();
        }

        assertThat(delivered).containsExactly(0, 1, 2);
        assertThat(started.get()).as("batches started: the window of 4 past the failure at most").isBetween(4, 8);
    }

    @Test
    void shouldRunOnTheCallingThreadWithOneWorker() {
        List<String> threads = new ArrayList<>();
        try (DecodingWorkers workers = DecodingWorkers.forThreads(1)) {
            workers.run(List.of(1, 2, 3), batch -> {
                threads.add(Thread.currentThread().getName());
                return batch;
            }, (batch, result) -> { });
            assertThat(workers.workers()).isEqualTo(1);
        }
        assertThat(threads).containsOnly(Thread.currentThread().getName()).hasSize(3);
    }

    @Test
    void shouldSplitAThreadBudgetIntoTwoWorkers() {
        try (NDManager engine = NDManager.newBaseManager(); DecodingWorkers two = DecodingWorkers.forThreads(2);
                DecodingWorkers eight = DecodingWorkers.forThreads(8)) {
            List<Integer> counts = new ArrayList<>();
            eight.run(List.of(0), batch -> JniUtils.getNumThreads(), (batch, threads) -> counts.add(threads));
            assertThat(two.workers()).isEqualTo(2);
            assertThat(eight.workers()).isEqualTo(2);
            assertThat(counts).containsExactly(4);
        }
        assertThatThrownBy(() -> DecodingWorkers.of(0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("decoding workers need at least 1 worker of 1 thread, got 0 of 1");
    }

    @Test
    void shouldShareAScoringBatchBetweenTheWorkersSoThatTheRowsInFlightStayTheBatchSize() {
        try (NDManager engine = NDManager.newBaseManager(); DecodingWorkers two = DecodingWorkers.forThreads(2)) {
            assertThat(two.scoringBatchRows(64)).isEqualTo(32);
            assertThat(two.scoringBatchRows(5)).isEqualTo(3); // rounded up: never more batches than needed
            assertThat(two.scoringBatchRows(1)).isEqualTo(1);
            assertThatThrownBy(() -> two.scoringBatchRows(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("batch size must be >= 1, got 0");
        }
        try (DecodingWorkers serial = DecodingWorkers.serial()) {
            assertThat(serial.scoringBatchRows(64)).isEqualTo(64);
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
