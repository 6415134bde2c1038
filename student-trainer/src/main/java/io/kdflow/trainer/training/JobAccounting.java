package io.kdflow.trainer.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One job's delivery counters, kept across restarts in {@code <data dir>/<job>/accounting.json} (written to a
 * temporary file and renamed, so a crash leaves the old or the new file, never half of one): PT copies dropped as
 * duplicates, remote Joint-Teaching scores received and dropped, and how often the job's run resumed after a
 * restart. The final STUDENT checkpoint event carries them (names in {@link #metrics}). Thread-safe.
 */
public final class JobAccounting {

    public static final String FILE_NAME = "accounting.json";

    public static final String PT_RECORDS_TRAINED = "pt_records_trained";
    public static final String PT_RECORDS_DUPLICATE = "pt_records_duplicate";
    public static final String STUDENT_SCORES_RECEIVED = "student_scores_received";
    public static final String STUDENT_SCORES_DUPLICATE = "student_scores_duplicate";
    public static final String TRAINER_RESUMES = "trainer_resumes";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN_STARTED = "run_started";
    private static final String RUN_FINISHED = "run_finished";

    private final Path file;
    private long ptDuplicates;
    private long scoresReceived;
    private long scoresDuplicate;
    private long resumes;
    private boolean runStarted;
    private boolean runFinished;

    /** Reads the counters in {@code jobDir} (all 0 when there are none yet). */
    public JobAccounting(Path jobDir) {
        this.file = jobDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            ptDuplicates = root.path(PT_RECORDS_DUPLICATE).asLong();
            scoresReceived = root.path(STUDENT_SCORES_RECEIVED).asLong();
            scoresDuplicate = root.path(STUDENT_SCORES_DUPLICATE).asLong();
            resumes = root.path(TRAINER_RESUMES).asLong();
            runStarted = root.path(RUN_STARTED).asBoolean();
            runFinished = root.path(RUN_FINISHED).asBoolean();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the job's counters " + file + ": " + e.getMessage(), e);
        }
    }

    /** A PT record that was stored before arrived again. */
    public synchronized void ptDuplicate() {
        ptDuplicates++;
        write();
    }

    /**
     * The job's run starts in this process.
     *
     * @return true when it resumes: a run of an earlier process started and did not announce its final student
     */
    public synchronized boolean runStarting() {
        boolean resumed = runStarted && !runFinished;
        if (resumed) {
            resumes++;
        }
        runStarted = true;
        runFinished = false;
        write();
        return resumed;
    }

    /** The final STUDENT event was acknowledged by the broker: a later start is a rerun, not a resume. */
    public synchronized void runFinished() {
        runFinished = true;
        write();
    }

    /** Remote Joint-Teaching: scores taken (first copy per request id) and copies dropped since the last call. */
    public synchronized void scores(long received, long duplicates) {
        if (received == 0 && duplicates == 0) {
            return;
        }
        scoresReceived += received;
        scoresDuplicate += duplicates;
        write();
    }

    public synchronized long ptDuplicates() {
        return ptDuplicates;
    }

    public synchronized long resumes() {
        return resumes;
    }

    /** The counters the final STUDENT event carries, with {@code trained} distinct PT records. */
    public synchronized Map<String, Double> metrics(long trained) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(PT_RECORDS_TRAINED, (double) trained);
        metrics.put(PT_RECORDS_DUPLICATE, (double) ptDuplicates);
        metrics.put(STUDENT_SCORES_RECEIVED, (double) scoresReceived);
        metrics.put(STUDENT_SCORES_DUPLICATE, (double) scoresDuplicate);
        metrics.put(TRAINER_RESUMES, (double) resumes);
        return metrics;
    }

    private void write() {
        ObjectNode root = JSON.createObjectNode();
        root.put(PT_RECORDS_DUPLICATE, ptDuplicates);
        root.put(STUDENT_SCORES_RECEIVED, scoresReceived);
        root.put(STUDENT_SCORES_DUPLICATE, scoresDuplicate);
        root.put(TRAINER_RESUMES, resumes);
        root.put(RUN_STARTED, runStarted);
        root.put(RUN_FINISHED, runFinished);
        Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(temporary.toFile(), root);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the job's counters " + file + ": " + e.getMessage(), e);
        }
    }
}
