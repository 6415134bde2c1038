package io.kdflow.core.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.kdflow.core.model.nn.HeapTrim;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs independent inference batches (decoding, teacher-forced scoring) on several worker threads, each with its
 * own small libtorch intra-op pool, and hands the results back in submission order on the calling thread.
 *
 * <p>Why: a decoding step is a few hundred small libtorch calls, bound by their count rather than by arithmetic,
 * so a second intra-op thread buys little (bart-small, 32 rows: a sampling step took the same time with one thread
 * as with two). Two batches at once, one thread each, use both cores: measured on a 2-vCPU Intel Xeon (AVX-512),
 * PT sampling 1.4-1.8x and beam search 1.2x the throughput of one batch at a time on two threads. The kernels'
 * float rounding depends on the thread count, so results equal a one-thread run's, not a two-thread run's, to the
 * last bit (log-probs differ by about 1e-7 relative).
 *
 * <p>libtorch's intra-op count is per thread (OpenMP and MKL keep it thread-local); each worker sets its own on
 * start. Models are read-only in inference, so workers share them. With one worker nothing changes: the work
 * runs on the calling thread, with its threads.
 */
public final class DecodingWorkers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DecodingWorkers.class);
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final AtomicBoolean LAYOUT_LOGGED = new AtomicBoolean();

    private final int workers;
    private final int threadsPerWorker;
    private final int callerThreads;
    private final ExecutorService pool; // null with one worker

    private DecodingWorkers(int workers, int threadsPerWorker) {
        if (workers < 1 || threadsPerWorker < 1) {
            throw new IllegalArgumentException("decoding workers need at least 1 worker of 1 thread, got " + workers
                    + " of " + threadsPerWorker);
        }
        this.workers = workers;
        this.threadsPerWorker = threadsPerWorker;
        if (workers == 1) {
            this.callerThreads = 0;
            this.pool = null;
            return;
        }
        Engine.getEngine("PyTorch"); // loads libtorch before its thread counts are read or set
        this.callerThreads = JniUtils.getNumThreads();
        int poolId = POOLS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(workers, task -> {
            Thread thread = new Thread(() -> {
                JniUtils.setNumThreads(threadsPerWorker); // this thread's own OpenMP / MKL count
                task.run();
            }, "decoding-" + poolId + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Everything on the calling thread. */
    public static DecodingWorkers serial() {
        return new DecodingWorkers(1, 1);
    }

    /** {@code workers} threads of {@code threadsPerWorker} intra-op threads each. */
    public static DecodingWorkers of(int workers, int threadsPerWorker) {
        return new DecodingWorkers(workers, threadsPerWorker);
    }

    /**
     * The layout for a budget of {@code threads} intra-op threads: two workers of half the threads each from two
     * threads on, else {@link #serial()}.
     */
    public static DecodingWorkers forThreads(int threads) {
        if (threads < 2) {
            return serial();
        }
        DecodingWorkers layout = of(2, threads / 2);
        if (LAYOUT_LOGGED.compareAndSet(false, true)) { // once a process: dev selections open a layout each
            LOG.info("decoding on {} workers of {} intra-op thread(s)", layout.workers, layout.threadsPerWorker);
        }
        return layout;
    }

    /** {@link #forThreads} of the calling thread's libtorch intra-op count. */
    public static DecodingWorkers forCallingThread() {
        Engine.getEngine("PyTorch");
        return forThreads(JniUtils.getNumThreads());
    }

    public int workers() {
        return workers;
    }

    /**
     * Rows per batch for teacher-forced scoring so that {@code batchSize} rows are in flight at once over all the
     * workers: each batch holds its (B, T, V) distribution, so two workers at the full size held two batches'
     * worth (bart-base shape, batch 64: 1.33x transformers' peak RSS at the same batch), and half batches scored
     * no slower (docs/performance.md, "Scoring memory"). Decoding keeps whole batches per worker: its memory is
     * the model's and its rows go faster in larger batches.
     */
    public int scoringBatchRows(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        return (batchSize + workers - 1) / workers;
    }

    /**
     * {@code work} over every batch, at most two per worker in flight; {@code done} gets each batch with its result in
     * batch order, on the calling thread. The first failure (of a batch or of {@code done}) is rethrown once the
     * batches already started have finished; later batches are not started.
     */
    public <B, R> void run(List<B> batches, Function<B, R> work, BiConsumer<B, R> done) {
        if (pool == null) {
            for (B batch : batches) {
                done.accept(batch, work.apply(batch));
            }
            return;
        }
        Deque<Future<R>> inFlight = new ArrayDeque<>();
        int next = 0;
        try {
            for (int i = 0; i < batches.size(); i++) {
                while (next < batches.size() && inFlight.size() < 2 * workers) {
                    B batch = batches.get(next++);
                    inFlight.add(pool.submit(() -> work.apply(batch)));
                }
                done.accept(batches.get(i), await(inFlight.poll()));
            }
        } finally {
            inFlight.forEach(DecodingWorkers::settle);
        }
    }

    /**
     * Waits for a batch nobody reads any more (an earlier one failed): the caller may close the model next, which
     * must not happen under a running libtorch call.
     */
    private static void settle(Future<?> future) {
        boolean interrupted = false;
        while (true) {
            try {
                future.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | CancellationException e) {
                break; // its failure is not the one being reported
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static <R> R await(Future<R> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a decoding worker", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("a decoding worker failed", cause);
        }
    }

    /**
     * Stops the workers and trims the heap ({@link HeapTrim}): each worker allocated from a malloc arena of its own,
     * whose free memory nobody would reuse. libtorch also keeps a process-wide thread count that threads starting
     * later inherit, which the workers changed; it is set back to the calling thread's.
     */
    @Override
    public void close() {
        if (pool == null) {
            return;
        }
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("decoding workers still running 30 s after shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        JniUtils.setNumThreads(callerThreads);
        HeapTrim.trim();
    }
}
