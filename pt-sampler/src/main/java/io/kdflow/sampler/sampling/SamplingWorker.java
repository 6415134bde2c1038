package io.kdflow.sampler.sampling;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.local.StreamingSteps;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.pt.PseudoTargetGenerator;
import io.kdflow.core.pt.PtInput;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The one thread that generates PT records: it owns the teachers (libtorch models are used by one thread) and
 * every job's {@link PtRounds}. Consumer threads hand it inputs and teacher-ready notices through an inbox and
 * return at once; the worker generates a step, publishes its records, waits for the broker's acknowledgement and,
 * when an input has all K PTs, acknowledges the input's record, so the examples' offsets are committed only after
 * their PT records are durable. A crash before that redelivers the inputs (at-least-once: the trainer
 * de-duplicates by example id, kind and pt_index).
 *
 * <p>A job's records are made by the generator kd-core's {@code distill --local} makes ({@link StreamingSteps}),
 * on the same batches when the inputs arrive in the same order: the same bytes.
 */
public final class SamplingWorker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SamplingWorker.class);

    private final RecordSink sink;
    private final Duration flushAfter;
    private final BlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final AtomicInteger unfinished = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Created by the worker thread: libtorch starts there, not on the thread that builds the service. */
    private NDManager manager;
    private final Counter goldRecords;
    private final Counter teacherRecords;
    private final Counter tokens;
    private final Timer batchLatency;
    private final Thread thread;
    private volatile boolean running = true;

    public SamplingWorker(RecordSink sink, Duration flushAfter, MeterRegistry registry) {
        this.sink = sink;
        this.flushAfter = flushAfter;
        this.goldRecords = Counter.builder("kdflow.sampler.pseudo.targets").tag("kind", "gold")
                .description("GOLD records published").register(registry);
        this.teacherRecords = Counter.builder("kdflow.sampler.pseudo.targets").tag("kind", "teacher")
                .description("TEACHER records (PTs) published").register(registry);
        this.tokens = Counter.builder("kdflow.sampler.pseudo.target.tokens")
                .description("target tokens of the TEACHER records published").register(registry);
        this.batchLatency = Timer.builder("kdflow.sampler.batch.latency")
                .description("one generation step of a batch: decoding and the broker's acknowledgement")
                .register(registry);
        Gauge.builder("kdflow.sampler.pending.examples", unfinished, AtomicInteger::get)
                .description("examples in the worker whose K PTs are not all published").register(registry);
        this.thread = new Thread(this::loop, "pt-sampler-worker");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues an input of a job whose settings are known. */
    public void submit(JobSettings settings, HeldInput input) {
        unfinished.incrementAndGet();
        inbox.add(() -> job(settings).add(input));
    }

    /** The job's teacher is ready in {@code directory}; its inputs are generated from now on. */
    public void teacherReady(JobSettings settings, Path directory) {
        inbox.add(() -> job(settings).teacher(directory));
    }

    /** Why the worker stopped, if it did (the service is then unhealthy). */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Marks the sampler failed (another of its threads could not go on): health turns DOWN. */
    public void fail(Throwable cause) {
        failure.compareAndSet(null, cause);
    }

    /** Inputs queued or in progress whose records are not all published. */
    public int unfinished() {
        return unfinished.get();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        jobs.values().forEach(Job::close);
        if (manager != null) {
            manager.close();
        }
    }

    private Job job(JobSettings settings) {
        return jobs.computeIfAbsent(settings.jobId(), id -> new Job(settings));
    }

    private void loop() {
        manager = NDManager.newBaseManager();
        try {
            while (running) {
                Optional<Job> ready = jobs.values().stream().filter(Job::hasWork).findFirst();
                Runnable event = ready.isPresent() ? inbox.poll()
                        : inbox.poll(Math.max(10, flushAfter.toMillis() / 4), TimeUnit.MILLISECONDS);
                if (event != null) {
                    event.run();
                    continue; // take every queued input before choosing the next step
                }
                if (ready.isPresent()) {
                    ready.get().step();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("the sampling worker stopped; its unacknowledged examples are redelivered after a restart", e);
            failure.set(e);
        }
    }

    /** One job's teacher, generator and rounds. */
    private final class Job {

        private final JobSettings settings;
        private final PtRounds<HeldInput> rounds;
        private ModelDirectory teacher;
        private PseudoTargetGenerator generator;
        private long lastArrival = System.nanoTime();

        Job(JobSettings settings) {
            this.settings = settings;
            this.rounds = new PtRounds<>(settings.sampling().batchSize(), settings.sampling().numPseudoTargets(),
                    settings.sampling().mode().sampling());
        }

        void add(HeldInput input) {
            rounds.add(input);
            lastArrival = System.nanoTime();
        }

        void teacher(Path directory) {
            if (teacher != null) {
                LOG.infof("job %s: teacher %s already loaded, ignoring %s", settings.jobId(), teacher.path(),
                        directory);
                return;
            }
            teacher = ModelDirectory.load(directory, manager);
            generator = StreamingSteps.ptGenerator(settings, teacher);
            LOG.infof("job %s: teacher %s loaded (K=%d %s, batch %d)", settings.jobId(), directory,
                    settings.sampling().numPseudoTargets(), settings.sampling().mode(),
                    settings.sampling().batchSize());
        }

        boolean hasWork() {
            return generator != null && rounds.hasNext(idle());
        }

        private boolean idle() {
            return System.nanoTime() - lastArrival >= flushAfter.toNanos();
        }

        void step() {
            PtRounds.Step<HeldInput> step = rounds.next(idle()).orElseThrow();
            List<HeldInput> batch = step.batch().inputs();
            List<PtInput> inputs = batch.stream().map(HeldInput::input).toList();
            long start = System.nanoTime();
            List<PseudoTarget> records = new ArrayList<>();
            try {
                if (step.first()) {
                    records.addAll(generator.gold(inputs));
                    records.addAll(generator.settings().decoding().sampling() ? generator.generate(inputs, 0)
                            : generator.generateAll(inputs));
                } else {
                    records.addAll(generator.generate(inputs, step.ptIndex()));
                }
            } catch (BadInputException e) { // an input the teacher cannot take (too long for its positions)
                rounds.drop(step.batch());
                batch.forEach(input -> input.reject().accept(e));
                unfinished.addAndGet(-batch.size());
                return;
            }
            sink.publish(records);
            batchLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            for (PseudoTarget record : records) {
                if (record.getKind() == PseudoTarget.Kind.GOLD) {
                    goldRecords.increment();
                } else {
                    teacherRecords.increment();
                    tokens.increment(record.getTokenIdsCount());
                }
            }
            if (rounds.done(step)) {
                batch.forEach(input -> input.ack().run());
                unfinished.addAndGet(-batch.size());
            }
        }

        void close() {
            if (teacher != null) {
                teacher.close();
            }
        }
    }
}
