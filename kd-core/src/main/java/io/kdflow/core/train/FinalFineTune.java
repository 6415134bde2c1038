package io.kdflow.core.train;

import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.job.TrainingSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The study's last phase (docs/method.md): from the best KD checkpoint, cross-entropy on the gold pairs only,
 * continuing the KD phase's learning-rate schedule (the paper's code trains the final fine-tune epochs under
 * the same scheduler, so the rate goes on decaying from where KD stopped rather than warming up again).
 * The checkpoint's model, AdamW moments and step count are restored; its data position is not, since the gold
 * plan is another source that starts at its beginning.
 */
public final class FinalFineTune {

    private FinalFineTune() {}

    /**
     * Opens the student saved in {@code bestKdCheckpoint} (a directory {@link TrainingLoop#save} wrote) for
     * cross-entropy on {@code goldBatches}.
     *
     * @param settings the run's settings (the schedule's peak rate and warmup must be the KD phase's)
     * @param scheduleSteps total steps of the schedule: the KD phase's and this one's together, as when the
     *     KD phase started
     * @throws io.kdflow.core.error.BadInputException when the checkpoint ran under another schedule
     */
    public static StudentTraining open(Path bestKdCheckpoint, TrainingSettings settings, BatchSource goldBatches,
            long scheduleSteps) {
        return open(bestKdCheckpoint, settings, goldBatches, scheduleSteps, PromptTemplate.NONE);
    }

    /**
     * The same for a decoder-only student, whose gold pairs are prompted with {@code prompt} (the KD phase's).
     *
     * @throws io.kdflow.core.error.BadInputException when the checkpoint ran under another schedule
     */
    public static StudentTraining open(Path bestKdCheckpoint, TrainingSettings settings, BatchSource goldBatches,
            long scheduleSteps, PromptTemplate prompt) {
        StudentTraining training = StudentTraining.open(bestKdCheckpoint, settings, ObjectiveSpec.crossEntropy(),
                Optional.empty(), goldBatches, scheduleSteps, prompt);
        try {
            training.loop().restoreContinuingSchedule(bestKdCheckpoint);
            return training;
        } catch (IOException e) {
            training.close();
            throw new UncheckedIOException("cannot read checkpoint " + bestKdCheckpoint + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            training.close();
            throw e;
        }
    }
}
