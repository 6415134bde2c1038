package io.kdflow.core.local;

import io.kdflow.core.pt.EpochPlan;
import io.kdflow.core.pt.PtHandle;
import io.kdflow.core.pt.PtInput;
import io.kdflow.core.train.TrainingExample;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * A job's PT records as they stream in (GOLD and TEACHER records, any order, redeliveries stored once), handed
 * to KD epoch by epoch: epoch e starts once every expected input ({@code PtPhase.inputs}) has PT e mod K and,
 * when the labeled inputs have PTs, every gold pair its GOLD record. Until then the training thread waits here,
 * so training overlaps generation. The epochs list exactly what {@link PtSupply#generated()}'s file gives
 * ({@link EpochPlan#epoch} sorts by example id: arrival order does not matter). Thread-safe: one thread
 * {@link #add}s, the training thread reads.
 *
 * <p>Memory: what is held per record is its {@link PtHandle}. The trainer adds the handles of its on-disk
 * {@link io.kdflow.core.pt.PseudoTargetFile} (identity and byte offset: 329 bytes a record with this class's map,
 * measured, against 9 KB for a 16-token record with its top-64 distribution held whole), and an epoch loads its
 * records from the file a micro-batch at a time, so memory does not grow with the records' token distributions;
 * {@link #add(PseudoTarget)} holds the record itself (tests, small in-process feeds).
 */
public final class StreamingPtRecords implements PtSupply {

    /** Records by identity (kind, example, PT index): a redelivery is stored once. */
    private final Map<String, PtHandle> records = new LinkedHashMap<>();
    private final Set<Integer> waitedFor = new HashSet<>();
    private Expected expected;
    private Optional<Integer> waiting = Optional.empty();
    private long waitingNanos;
    private String cancelled;

    /** What the job's epochs need, known once KD opens the records. */
    private static final class Expected {
        final Set<String> inputs = new HashSet<>();
        final Set<String> gold = new HashSet<>();
        final int k;
        final int[] ptsIn;
        final Set<String> goldIn = new HashSet<>();

        Expected(List<PtInput> inputs, List<String> gold, int k) {
            inputs.forEach(input -> this.inputs.add(input.exampleId()));
            this.gold.addAll(gold);
            this.k = k;
            this.ptsIn = new int[k];
        }

        void count(PtHandle record) {
            String id = record.exampleId();
            boolean gold = record.kind() == PseudoTarget.Kind.GOLD
                    || record.kind() == PseudoTarget.Kind.PASS_THROUGH;
            if (gold && this.gold.contains(id)) {
                goldIn.add(id);
            } else if (record.kind() == PseudoTarget.Kind.TEACHER && inputs.contains(id)
                    && record.ptIndex() >= 0 && record.ptIndex() < k) {
                ptsIn[record.ptIndex()]++; // one record per (input, index): the identity de-duplicates
            }
        }

        boolean has(int ptIndex) {
            return ptsIn[ptIndex] == inputs.size() && goldIn.size() == gold.size();
        }

        boolean wants(PtHandle record) {
            return inputs.contains(record.exampleId()) || gold.contains(record.exampleId());
        }
    }

    /**
     * Takes one record, held in memory; false when an equal one (same kind, example and PT index) is stored.
     */
    public boolean add(PseudoTarget record) {
        return add(PtHandle.of(record));
    }

    /**
     * Takes one record by its handle (e.g. of a {@link io.kdflow.core.pt.PseudoTargetFile}, whose records stay on
     * disk); false when an equal one (same kind, example and PT index) is stored.
     */
    public synchronized boolean add(PtHandle record) {
        String identity = record.kind() + "/" + record.exampleId() + "/" + record.ptIndex();
        if (records.putIfAbsent(identity, record) != null) {
            return false;
        }
        if (expected != null) {
            expected.count(record);
        }
        notifyAll();
        return true;
    }

    /** Distinct records taken so far. */
    public synchronized int size() {
        return records.size();
    }

    /** Seconds the training thread has waited for records so far (counted at least every second). */
    public synchronized double waitingSeconds() {
        return waitingNanos / 1e9;
    }

    /** The epoch the training thread is waiting for now, if it is. */
    public synchronized Optional<Integer> waitingFor() {
        return waiting;
    }

    /**
     * Blocks until the training thread has waited for epoch {@code epoch}'s records (an observer's hook: a
     * feeder that wants to see KD wait before it sends them).
     */
    public synchronized void awaitWaiting(int epoch) throws InterruptedException {
        while (!waitedFor.contains(epoch)) {
            wait();
        }
    }

    /** Stops the run: a waiting (or later) epoch throws {@link CancellationException} with {@code reason}. */
    public synchronized void cancel(String reason) {
        cancelled = reason;
        notifyAll();
    }

    @Override
    public PtRecords open(Request request) {
        PtPhase phase = new PtPhase(request.settings(), request.cacheDir(), request.progress());
        List<PtInput> inputs = phase.inputs(request.data());
        List<String> gold = request.settings().sampling().includeLabeled()
                ? request.data().train().stream().map(e -> e.id()).toList() : List.of();
        int k = request.settings().sampling().numPseudoTargets();
        synchronized (this) {
            expected = new Expected(inputs, gold, k);
            records.values().forEach(expected::count);
        }
        String identity = "stream:" + phase.key(request.teacherKey(), request.data(), request.prompt());
        int epochSize = request.data().train().size() + inputs.size();
        return new PtRecords() {
            @Override
            public Optional<PtOutcome> outcome() {
                return Optional.empty();
            }

            @Override
            public String identity() {
                return identity;
            }

            @Override
            public int epochSize() {
                return epochSize;
            }

            @Override
            public List<TrainingExample> epoch(int epoch) {
                List<TrainingExample> examples = KdEpochs.plan(awaitEpoch(epoch, k), true, request.settings(),
                        request.data()).epoch(epoch);
                if (examples.size() != epochSize) {
                    throw new IllegalStateException("epoch " + epoch + " holds " + examples.size()
                            + " examples, expected " + epochSize);
                }
                return examples;
            }
        };
    }

    /** Waits until epoch {@code epoch}'s records are all in; returns the expected inputs' records. */
    private synchronized List<PtHandle> awaitEpoch(int epoch, int k) {
        int index = Math.floorMod(epoch, k);
        long started = System.nanoTime();
        long counted = started;
        try {
            while (!expected.has(index)) {
                if (cancelled != null) {
                    throw new CancellationException(cancelled);
                }
                waiting = Optional.of(epoch);
                if (waitedFor.add(epoch)) {
                    notifyAll();
                }
                wait(1000);
                long now = System.nanoTime();
                waitingNanos += now - counted;
                counted = now;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the records of epoch " + epoch);
        } finally {
            waiting = Optional.empty();
        }
        List<PtHandle> wanted = new ArrayList<>();
        for (PtHandle record : records.values()) {
            if (expected.wants(record)) {
                wanted.add(record);
            }
        }
        return wanted;
    }
}
