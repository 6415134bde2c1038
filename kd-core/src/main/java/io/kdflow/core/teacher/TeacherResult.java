package io.kdflow.core.teacher;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a teacher training produced.
 *
 * @param directory the HF directory of the teacher
 * @param devMetrics dev metrics of the kept epoch (on the recipe's dev subset)
 * @param bestEpoch the kept fine-tuning epoch (1-based)
 * @param denoisingSteps optimizer steps of denoising pre-training
 * @param fineTuneSteps optimizer steps of fine-tuning
 * @param sensitivity the input-sensitivity check of the kept model
 * @param wallSeconds wall time of the whole training
 */
public record TeacherResult(Path directory, Map<String, Double> devMetrics, int bestEpoch, long denoisingSteps,
        long fineTuneSteps, InputSensitivity.Result sensitivity, double wallSeconds) {

    public TeacherResult {
        devMetrics = Map.copyOf(devMetrics);
    }
}
