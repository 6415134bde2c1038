package io.kdflow.core.local;

import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.job.TeacherSettings;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.pt.PseudoTargetGenerator;
import io.kdflow.core.wire.proto.JobSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The steps of {@code distill --local} that the streaming services run on their own, made exactly as the local
 * run makes them: the job's teacher (teacher-service, {@link TeacherPhase}) and the generator of its PT records
 * (pt-sampler, {@link PtPhase}), so that the pipeline's records equal the local run's byte for byte.
 */
public final class StreamingSteps {

    /** The folder of the model store that holds teachers: trained ones by recipe key, copied ones by content. */
    public static final String TEACHERS = "teachers";

    private StreamingSteps() {}

    /**
     * The job's teacher as a directory inside the model store: trained or fine-tuned into the teacher cache
     * {@code <store>/teachers/<recipe key>/} (reused when there), or a PRETRAINED directory used as is when it
     * lies in the store, else copied once to {@code <store>/teachers/<teacher key>/} (its content's key).
     *
     * @param storeRoot the model store's root (real path)
     * @throws BadInputException for a job without a teacher section, a directory that is no model, a job that
     *     trains a teacher without task or dev data
     */
    public static Path teacherInStore(JobSpec spec, Path storeRoot, LocalProgress progress) {
        JobSettings settings = JobSettings.resolve(spec);
        TeacherSettings teacher = settings.teacher().orElseThrow(() -> new BadInputException("JobSpec.teacher:"
                + " missing (the pipeline needs a teacher section: source pretrained, fine_tune or train)"));
        int beams = spec.getEvaluation().getNumBeams() > 0 ? spec.getEvaluation().getNumBeams() : 4;
        LocalData data = teacher.source() == TeacherSettings.Source.PRETRAINED
                ? new LocalData(List.of(), List.of(), List.of(), List.of(), List.of()) // not read for PRETRAINED
                : LocalData.read(settings.task().orElseThrow(() -> new BadInputException("JobSpec.task_spec:"
                        + " missing (a teacher is trained on the job's task data)")));
        Path teachers = storeRoot.resolve(TEACHERS);
        Path directory = new TeacherPhase(settings, beams, teachers, progress, UnaryOperator.identity())
                .directory(data);
        return inStore(directory.toAbsolutePath().normalize(), storeRoot, teachers, progress);
    }

    /** The key of a teacher directory: the sha256 of its files (the PT records' {@code model_revision}). */
    public static String teacherKey(Path teacherDirectory) {
        return RunKey.teacher(teacherDirectory);
    }

    /** The decoder-only prompt of the job's task ({@link PromptTemplate#NONE} without a task). */
    public static PromptTemplate prompt(JobSettings settings) {
        return settings.task().map(task -> PromptTemplate.of(task.prompt(), "JobSpec.task_spec.prompt"))
                .orElse(PromptTemplate.NONE);
    }

    /**
     * The generator {@code distill --local} writes the job's PT records with, for the teacher in
     * {@code teacher} (its key computed from the directory's files, as the local run does).
     */
    public static PseudoTargetGenerator ptGenerator(JobSettings settings, ModelDirectory teacher) {
        return PtPhase.generator(settings, teacher, teacherKey(teacher.path()), prompt(settings));
    }

    private static Path inStore(Path directory, Path storeRoot, Path teachers, LocalProgress progress) {
        if (realPath(directory).startsWith(storeRoot)) {
            return directory;
        }
        String key = teacherKey(directory);
        Path copy = teachers.resolve(key);
        if (Files.isDirectory(copy) && teacherKey(copy).equals(key)) {
            progress.onNote("teacher: " + directory + " already copied to " + copy);
            return copy;
        }
        Path written;
        try { // a directory of its own: replicas that copy the same teacher at once do not mix their files
            written = Files.createTempDirectory(Files.createDirectories(teachers), ".copy-" + key.substring(0, 12) + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write into " + teachers + ": " + e.getMessage(), e);
        }
        Directories.copyFiles(directory, written);
        Directories.replace(written, copy);
        progress.onNote("teacher: copied " + directory + " to " + copy);
        return copy;
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + path, e);
        }
    }
}
