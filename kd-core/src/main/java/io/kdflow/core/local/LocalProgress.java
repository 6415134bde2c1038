package io.kdflow.core.local;

/** Told how a local distillation advances: a progress line per phase step, and notable events. */
public interface LocalProgress {

    /** Ignores everything. */
    LocalProgress NONE = update -> { };

    /**
     * Where one phase stands.
     *
     * @param phase e.g. {@code teacher}, {@code pseudo-targets}, {@code baseline}, {@code kd},
     *     {@code final-fine-tune}, {@code test}
     * @param done units done in this phase
     * @param total units of this phase
     * @param unit what is counted, e.g. {@code steps}, {@code records}, {@code models}
     * @param perSecond the phase's mean rate so far
     * @param etaSeconds estimated seconds left in this phase
     * @param detail e.g. the last loss; may be empty
     */
    record Update(String phase, long done, long total, String unit, double perSecond, double etaSeconds,
            String detail) {}

    void onProgress(Update update);

    /** A notable event: a phase started, was reused, a dev evaluation, early stopping. */
    default void onNote(String message) { }
}
