package io.kdflow.sampler.sampling;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The order in which one job's inputs get their records, PT-index-major like kd-core's
 * {@code PseudoTargetGenerator.run}: inputs are cut into batches of the job's batch size in arrival order; a new
 * batch gets its GOLD records and PT 0 (all K beams for beam search, which yields them together); then every
 * batch gets PT 1 in batch order, then PT 2, and so on. Inputs that arrive later join as new batches and get PT
 * 0 before any batch gets a higher index, so the lowest missing PT index always comes first. Not thread-safe:
 * the sampling worker owns it.
 *
 * @param <T> what is held for an input
 */
public final class PtRounds<T> {

    /** The work of one generation call: {@code ptIndex} of {@code batch}; index 0 of a new batch adds its GOLD records. */
    public record Step<T>(Batch<T> batch, int ptIndex) {

        /** The batch's first step: GOLD records and PT 0 (or every beam). */
        public boolean first() {
            return ptIndex == 0;
        }
    }

    /** Inputs generated together, in arrival order, and the next PT index they need. */
    public static final class Batch<T> {

        private final List<T> inputs;
        private int nextPtIndex;

        Batch(List<T> inputs) {
            this.inputs = List.copyOf(inputs);
        }

        public List<T> inputs() {
            return inputs;
        }
    }

    private final int batchSize;
    private final int numPseudoTargets;
    private final boolean perIndex;
    private final List<T> pending = new ArrayList<>();
    private final List<Batch<T>> batches = new ArrayList<>();

    /**
     * @param perIndex whether PTs are generated one index at a time (sampling); false for beam search, whose first
     *     step yields all K
     */
    public PtRounds(int batchSize, int numPseudoTargets, boolean perIndex) {
        if (batchSize < 1 || numPseudoTargets < 1) {
            throw new IllegalArgumentException("batch size and K must be >= 1, got " + batchSize + " and "
                    + numPseudoTargets);
        }
        this.batchSize = batchSize;
        this.numPseudoTargets = numPseudoTargets;
        this.perIndex = perIndex;
    }

    public void add(T input) {
        pending.add(input);
    }

    /** Inputs not yet in a batch. */
    public int pending() {
        return pending.size();
    }

    /** Inputs whose records are not all published yet (in a batch or not). */
    public int unfinished() {
        return pending.size() + batches.stream().mapToInt(b -> b.inputs.size()).sum();
    }

    /**
     * The next step: a full batch of pending inputs first; a partial one when {@code flushPartial} (no input came
     * for a while: the consumer caught up); else the lowest missing PT index of the oldest batch that lacks it.
     * Empty when nothing is left, or while a partial batch waits for more inputs (every input that came gets PT 0
     * before any gets PT 1).
     */
    public Optional<Step<T>> next(boolean flushPartial) {
        if (!hasNext(flushPartial)) {
            return Optional.empty();
        }
        if (!pending.isEmpty()) {
            List<T> taken = pending.subList(0, Math.min(batchSize, pending.size()));
            Batch<T> batch = new Batch<>(taken);
            taken.clear();
            batches.add(batch);
            return Optional.of(new Step<>(batch, 0));
        }
        return batches.stream().min(Comparator.comparingInt(b -> b.nextPtIndex))
                .map(batch -> new Step<>(batch, batch.nextPtIndex));
    }

    /** Whether {@link #next} has a step, without taking it. */
    public boolean hasNext(boolean flushPartial) {
        if (!pending.isEmpty()) {
            return pending.size() >= batchSize || flushPartial;
        }
        return !batches.isEmpty();
    }

    /**
     * Marks {@code step} published.
     *
     * @return whether its batch now has all K PTs (it leaves the rounds; its inputs can be acknowledged)
     */
    public boolean done(Step<T> step) {
        Batch<T> batch = step.batch();
        if (step.ptIndex() != batch.nextPtIndex || !batches.contains(batch)) {
            throw new IllegalStateException("step " + step.ptIndex() + " is not the next of its batch ("
                    + batch.nextPtIndex + ")");
        }
        batch.nextPtIndex = perIndex ? step.ptIndex() + 1 : numPseudoTargets;
        if (batch.nextPtIndex < numPseudoTargets) {
            return false;
        }
        batches.remove(batch);
        return true;
    }

    /** Drops a batch whose inputs could not be generated (they are dead-lettered). */
    public void drop(Batch<T> batch) {
        batches.remove(batch);
    }
}
