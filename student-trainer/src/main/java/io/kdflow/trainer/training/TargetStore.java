package io.kdflow.trainer.training;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.pt.PseudoTargetFile;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.nio.file.Path;
import java.util.List;

/**
 * The trainer's local copy of one job's target stream, a kd-core {@link PseudoTargetFile} (length-delimited
 * PseudoTarget records; a record torn by a crash is cut off on reopening) appended to
 * {@code <dir>/<job>/targets.pb}, de-duplicated by (example, kind, PT index) so redelivered records are
 * stored once. Targets of a job whose JobSpec has not arrived yet wait here; epoch e of a multi-epoch
 * run later reads PT number (e mod K) of every example from here.
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

    /** Every stored target, in arrival order (targets that came before the job's JobSpec are trained from here). */
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
