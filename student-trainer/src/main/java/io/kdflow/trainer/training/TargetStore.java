package io.kdflow.trainer.training;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The trainer's local copy of one job's target stream: length-delimited PseudoTarget records appended to
 * {@code <dir>/<job>/targets.pb}, de-duplicated by (example, kind, PT index) so redelivered records are
 * stored once. Targets of a job whose JobSpec has not arrived yet wait here; epoch e of a multi-epoch
 * run later reads PT number (e mod K) of every example from here.
 */
public final class TargetStore implements AutoCloseable {

    private final Path file;
    private final OutputStream out;
    private final Set<String> seen = new HashSet<>();

    public TargetStore(Path dataDir, String jobId) {
        try {
            Path jobDir = Files.createDirectories(dataDir.resolve(safeName(jobId)));
            this.file = jobDir.resolve("targets.pb");
            loadExisting();
            this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the target store of job " + jobId + " in " + dataDir, e);
        }
    }

    /** Appends the target unless an equal one is stored; returns whether it was new. */
    public boolean append(PseudoTarget target) {
        if (!seen.add(identity(target))) {
            return false;
        }
        try {
            target.writeDelimitedTo(out);
            out.flush();
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    /** Every stored target, in arrival order (targets that came before the job's JobSpec are trained from here). */
    public List<PseudoTarget> readAll() {
        List<PseudoTarget> targets = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            PseudoTarget target;
            while ((target = PseudoTarget.parseDelimitedFrom(in)) != null) {
                targets.add(target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return targets;
    }

    /** Number of distinct targets stored. */
    public int size() {
        return seen.size();
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }

    private void loadExisting() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            PseudoTarget target;
            while ((target = PseudoTarget.parseDelimitedFrom(in)) != null) {
                seen.add(identity(target));
            }
        }
    }

    private static String identity(PseudoTarget target) {
        return target.getExampleId() + "\u0000" + target.getKind().getNumber() + "\u0000" + target.getPtIndex();
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
