package io.kdflow.core.train;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.TrainingSettings;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.nn.DenormalFlush;
import io.kdflow.core.train.objective.StudentSampleScorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One student's training run, assembled from a Hugging Face model directory and the job's
 * {@link TrainingSettings}: the student and its tokenizer, its objective ({@link Objectives}), and the
 * {@link TrainingLoop} over the given source. A checkpoint directory {@link TrainingLoop#save} wrote is a
 * valid start: open it, then {@link TrainingLoop#restore} it.
 *
 * <p>The student is an encoder-decoder (BART, T5) or a decoder-only model (GPT-2). A decoder-only student
 * trains on prompt + target with the prompt outside the loss; its prompts are the task's {@link PromptTemplate}
 * applied to the sources (records that carry prompt ids are used as they are), see {@link ExampleEncoder}.
 */
public final class StudentTraining implements AutoCloseable {

    private final Path studentDir;
    private final NDManager manager;
    private final ModelDirectory directory;
    private final PretrainedModel student;
    private final TrainingLoop loop;

    private StudentTraining(Path studentDir, NDManager manager, ModelDirectory directory,
            TrainingSettings settings, TrainingObjective objective, BatchSource source, long scheduleSteps,
            PromptTemplate prompt) {
        this.studentDir = studentDir;
        this.manager = manager;
        this.directory = directory;
        this.student = directory.model();
        TextEncoding encoding = directory.textEncoding();
        this.loop = new TrainingLoop(student, objective, source, new ExampleEncoder(encoding, prompt,
                settings.maxSourceTokens(), settings.maxTargetTokens(), student.config()), settings, scheduleSteps);
    }

    /**
     * Loads the student in {@code studentDir} ({@code config.json}, weights, {@code tokenizer.json}) and trains
     * it with the objective {@code settings} name, with no teacher in the process: cross-entropy for
     * CROSS_ENTROPY and SEQUENCE_KD (cross-entropy on the PTs), logit KD from the records' sparse distributions
     * at {@code kd_temperature} for LOGITS_KD.
     *
     * @throws BadInputException for NOISY_KD, which needs the teacher in the process (see
     *     {@link #open(Path, TrainingSettings, ObjectiveSpec, Optional, BatchSource, long)})
     * @throws BadInputException when the directory is not a readable model directory
     */
    public static StudentTraining open(Path studentDir, TrainingSettings settings, BatchSource source,
            long scheduleSteps) {
        return open(studentDir, settings, specOf(settings), Optional.empty(), source, scheduleSteps);
    }

    /**
     * Loads the student in {@code studentDir} and trains it with the objective {@code objective} describes;
     * sources are used as they are (no prompt template).
     *
     * @param teacher the teacher in the process, when the objective needs one (not closed here)
     * @throws BadInputException when the objective needs a teacher and none is given
     * @throws BadInputException when the directory is not a readable model directory
     */
    public static StudentTraining open(Path studentDir, TrainingSettings settings, ObjectiveSpec objective,
            Optional<? extends PretrainedModel> teacher, BatchSource source, long scheduleSteps) {
        return open(studentDir, settings, objective, teacher, source, scheduleSteps, PromptTemplate.NONE);
    }

    /**
     * Loads the student in {@code studentDir} and trains it with the objective {@code objective} describes.
     *
     * @param teacher the teacher in the process, when the objective needs one (not closed here); of the student's
     *     kind of architecture and vocabulary
     * @param prompt a decoder-only student's prompt template (the task's {@code prompt}); encoder-decoder students
     *     ignore it
     * @throws BadInputException when the objective needs a teacher and none is given, or one of another kind of
     *     architecture or vocabulary
     * @throws BadInputException when the directory is not a readable model directory
     */
    public static StudentTraining open(Path studentDir, TrainingSettings settings, ObjectiveSpec objective,
            Optional<? extends PretrainedModel> teacher, BatchSource source, long scheduleSteps,
            PromptTemplate prompt) {
        return open(studentDir, settings, objective, teacher, Optional.empty(), source, scheduleSteps, prompt);
    }

    /**
     * As {@link #open(Path, TrainingSettings, ObjectiveSpec, Optional, BatchSource, long, PromptTemplate)}, with
     * the scorer of Joint-Teaching's student samples that an objective with the teacher REMOTE needs.
     *
     * @param scorer teacher-service's scores of the student's samples (see {@link Objectives#create})
     */
    public static StudentTraining open(Path studentDir, TrainingSettings settings, ObjectiveSpec objective,
            Optional<? extends PretrainedModel> teacher, Optional<? extends StudentSampleScorer> scorer,
            BatchSource source, long scheduleSteps, PromptTemplate prompt) {
        if (objective.needsTeacher() && teacher.isEmpty()) {
            throw new BadInputException("objective " + objective.kind() + " needs the teacher in the process;"
                    + " none was given (the streaming trainer supports CROSS_ENTROPY, SEQUENCE_KD and LOGITS_KD)");
        }
        DenormalFlush.ensureEnabled();
        NDManager manager = NDManager.newBaseManager();
        ModelDirectory directory = null;
        try {
            directory = ModelDirectory.load(studentDir, manager);
            return new StudentTraining(studentDir, manager, directory, settings,
                    Objectives.create(objective, directory.model(), teacher, scorer), source, scheduleSteps, prompt);
        } catch (RuntimeException e) {
            if (directory != null) {
                directory.close();
            }
            manager.close();
            throw e;
        }
    }

    /** The objective of the job's training settings for a trainer without a teacher in the process. */
    static ObjectiveSpec specOf(TrainingSettings settings) {
        return switch (settings.objective()) {
            // Sequence-level KD is cross-entropy on the teacher's pseudo-targets.
            case CROSS_ENTROPY, SEQUENCE_KD -> ObjectiveSpec.crossEntropy();
            case LOGITS_KD -> ObjectiveSpec.of(ObjectiveSpec.Kind.LOGIT_KD, ObjectiveSpec.TeacherSource.RECORDS,
                    settings.kdTemperature());
            case NOISY_KD -> ObjectiveSpec.of(ObjectiveSpec.Kind.NOISY_KD, ObjectiveSpec.TeacherSource.IN_PROCESS,
                    settings.kdTemperature());
            // objectives the job settings gain later are connected through the ObjectiveSpec overload
            default -> throw new BadInputException("JobSpec.training.objective: " + settings.objective()
                    + " needs an ObjectiveSpec (open with one)");
        };
    }

    public TrainingLoop loop() {
        return loop;
    }

    /** The student as an encoder-decoder; a decoder-only student is bad input here (use {@link #model()}). */
    public Seq2SeqModel student() {
        return directory.seq2seq();
    }

    /** The student, of either architecture. */
    public PretrainedModel model() {
        return student;
    }

    /** The loaded student directory: its tokenizer and generation config (dev evaluation decodes with them). */
    public ModelDirectory directory() {
        return directory;
    }

    /** Saves the resume state into {@code directory}, copying the tokenizer of the directory the run started from. */
    public void save(Path directory) {
        try {
            loop.save(directory, studentDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save checkpoint " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        loop.close();
        directory.close();
        manager.close();
    }
}
