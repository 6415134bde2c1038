package io.kdflow.trainer.training;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.pt.PseudoTargetFile;
import io.kdflow.core.pt.PtHandle;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.nio.file.Path;
import java.util.List;

/**
 * The trainer's local copy of one job's target stream, a kd-core {@link PseudoTargetFile} (length-delimited
 * PseudoTarget records; a record torn by a crash is cut off on reopening) appended to
 * {@code <dir>/<job>/targets.pb}, de-duplicated by (example, kind, PT index) so redelivered records are
 * stored once. Targets of a job whose JobSpec has not arrived yet wait here; epoch e of a multi-epoch
 * run later reads PT number (e mod K) of every example from here.
 *
 * <p>Memory: the store keeps each record's identity and byte offset, not the record ({@link #handles}); a run
 * reads an epoch's records back from the file a micro-batch at a time ({@link PtHandle#load}), so the trainer's
 * memory does not grow with the backlog's token distributions.
 */
public final class TargetStore implements AutoCloseable {

    private final PseudoTargetFile file;

    public TargetStore(Path dataDir, String jobId) {
        Path jobDir = dataDir.resolve(safeName(jobId));
        this.file = PseudoTargetFile.open(jobDir.resolve("targets.pb"));
    }

    /** Appends the target unless an equal one is stored; returns whether it was new. */
    public boolean append(PseudoTarget target) {
        if (!file.append(target)) {
            return false;
        }
        // On disk before the consumer commits the record's offset.
        file.flush();
        return true;
    }

    /**
     * Handles of every stored target, in arrival order (targets that came before the job's JobSpec, or before a
     * restart, are trained from here); each loads its record from the file.
     */
    public List<PtHandle> handles() {
        return file.handles();
    }

    /** The handle of the stored target with {@code target}'s identity (after {@link #append}). */
    public PtHandle handle(PseudoTarget target) {
        return file.handle(target);
    }

    /** Every stored target read whole, in arrival order (for checks and tools; a run reads {@link #handles}). */
    public List<PseudoTarget> readAll() {
        file.flush();
        return PseudoTargetFile.readAll(file.path());
    }

    /** Number of distinct targets stored. */
    public int size() {
        return file.size();
    }

    @Override
    public void close() {
        file.close();
    }

    /** Job ids become directory names: keep them to a safe alphabet. */
    static String safeName(String jobId) {
        if (!jobId.matches("[A-Za-z0-9._-]{1,128}") || jobId.startsWith(".")) {
            throw new BadInputException("job id '" + jobId
                    + "' must be 1-128 characters of [A-Za-z0-9._-] and not start with '.'");
        }
        return jobId;
    }
}
