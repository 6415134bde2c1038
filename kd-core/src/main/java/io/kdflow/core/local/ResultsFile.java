package io.kdflow.core.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code results.json}: every number of a {@link LocalResult} (absent parts as null). */
public final class ResultsFile {

    private ResultsFile() {}

    public static void write(LocalResult result, Path file) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("job_id", result.jobId());
        root.put("job_hash", result.jobHash());
        root.put("run_dir", result.runDir());
        root.put("teacher_dir", result.teacherDir());
        root.put("selection_metric", result.selectionMetric());
        root.put("phase_seconds", result.phaseSeconds());
        root.put("pseudo_targets", result.pseudoTargets().orElse(null));
        root.put("roles", result.roles());
        root.put("gap_closed_test", result.gapClosedTest());
        root.put("gap_closed_dev", result.gapClosedDev());
        root.put("baseline", result.baseline());
        root.put("kd", result.kd());
        root.put("final_fine_tune", result.finalFineTune().orElse(null));
        try {
            Files.createDirectories(file.getParent());
            PhaseMarker.json().writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
