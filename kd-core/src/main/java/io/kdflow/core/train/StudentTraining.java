package io.kdflow.core.train;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.TrainingSettings;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.nn.DenormalFlush;
import io.kdflow.core.tokenizer.HfTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * One encoder-decoder student's training run, assembled from a Hugging Face model directory and the job's
 * {@link TrainingSettings}: the student and its tokenizer, the objective the settings name, and the
 * {@link TrainingLoop} over the given source. A checkpoint directory {@link TrainingLoop#save} wrote is a
 * valid start: open it, then {@link TrainingLoop#restore} it.
 */
public final class StudentTraining implements AutoCloseable {

    private final Path studentDir;
    private final NDManager manager;
    private final Seq2SeqModel student;
    private final HfTokenizer tokenizer;
    private final TrainingLoop loop;

    private StudentTraining(Path studentDir, NDManager manager, Seq2SeqModel student, HfTokenizer tokenizer,
            TrainingSettings settings, BatchSource source, long scheduleSteps) {
        this.studentDir = studentDir;
        this.manager = manager;
        this.student = student;
        this.tokenizer = tokenizer;
        TextEncoding encoding = new TextEncoding(tokenizer, student.config());
        long pad = student.config().specialTokens().pad();
        this.loop = new TrainingLoop(student, objective(settings, student), source,
                examples -> new TrainingBatch(examples, PairBatch.encode(encoding,
                        examples.stream().map(TrainingExample::source).toList(),
                        examples.stream().map(TrainingExample::target).toList(),
                        settings.maxSourceTokens(), settings.maxTargetTokens(), pad)),
                settings, scheduleSteps);
    }

    /**
     * Loads the student in {@code studentDir} ({@code config.json}, weights, {@code tokenizer.json}).
     *
     * @throws BadInputException when the objective is not available yet
     * @throws UncheckedIOException when the directory cannot be read
     */
    public static StudentTraining open(Path studentDir, TrainingSettings settings, BatchSource source,
            long scheduleSteps) {
        requireSupported(settings.objective());
        DenormalFlush.ensureEnabled();
        NDManager manager = NDManager.newBaseManager();
        Seq2SeqModel student = null;
        try {
            student = PretrainedModels.loadSeq2Seq(studentDir, manager);
            HfTokenizer tokenizer = HfTokenizer.load(studentDir.resolve("tokenizer.json"));
            return new StudentTraining(studentDir, manager, student, tokenizer, settings, source, scheduleSteps);
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException("cannot load the student from " + studentDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (student != null) {
                student.close();
            }
            manager.close();
            throw e;
        }
    }

    private static void requireSupported(TrainingSettings.Objective objective) {
        if (objective == TrainingSettings.Objective.LOGITS_KD || objective == TrainingSettings.Objective.NOISY_KD) {
            throw new BadInputException("JobSpec.training.objective: " + objective
                    + " is not supported yet (must be CROSS_ENTROPY or SEQUENCE_KD)");
        }
    }

    private static TrainingObjective objective(TrainingSettings settings, Seq2SeqModel student) {
        return switch (settings.objective()) {
            // Sequence-level KD is cross-entropy on the teacher's pseudo-targets.
            case CROSS_ENTROPY, SEQUENCE_KD -> new CrossEntropyObjective(student);
            case LOGITS_KD, NOISY_KD -> throw new IllegalStateException("checked by requireSupported");
        };
    }

    public TrainingLoop loop() {
        return loop;
    }

    public Seq2SeqModel student() {
        return student;
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
        tokenizer.close();
        student.close();
        manager.close();
    }
}
