package io.kdflow.core.local;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.job.TaskSettings;
import io.kdflow.core.job.TeacherSettings;
import io.kdflow.core.teacher.TeacherRecipe;
import io.kdflow.core.wire.proto.JobSpec;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The teacher phase of a job on its own ({@code kdflow teacher train --job}): the teacher the job trains or
 * fine-tunes, from the teacher cache or trained into it, then copied to {@code <output>/<job id>/teacher} where
 * other job files name it ({@code teacher.dir}).
 */
public final class JobTeacher {

    /** The folder under the job's run directory that receives the teacher. */
    public static final String FOLDER = "teacher";

    private JobTeacher() {}

    /**
     * @param teacherCache the teacher cache ({@code <cache>/teachers} of {@code distill --local})
     * @param adjust changes the recipe the job describes (command-line overrides); identity for none
     * @return the published teacher directory
     * @throws BadInputException when the job has no task, no dev set or a teacher used as is (nothing to train)
     */
    public static Path train(JobSpec spec, Path teacherCache, UnaryOperator<TeacherRecipe> adjust,
            LocalProgress progress) {
        return train(spec, teacherCache, adjust, progress, Optional.empty());
    }

    /** As {@link #train(JobSpec, Path, UnaryOperator, LocalProgress)}, recording {@code gitCommit} in teacher.json. */
    public static Path train(JobSpec spec, Path teacherCache, UnaryOperator<TeacherRecipe> adjust,
            LocalProgress progress, Optional<String> gitCommit) {
        JobSettings settings = JobSettings.resolve(spec);
        TaskSettings task = settings.task().orElseThrow(() -> new BadInputException("JobSpec.task_spec: missing"
                + " (a teacher is trained on the job's task data)"));
        if (settings.teacher().map(TeacherSettings::source).orElse(null) == TeacherSettings.Source.PRETRAINED) {
            throw new BadInputException("JobSpec.teacher.source: PRETRAINED is used as is, there is nothing to"
                    + " train (use source train or fine_tune)");
        }
        int beams = spec.getEvaluation().getNumBeams() > 0 ? spec.getEvaluation().getNumBeams() : 4;
        Path cached = new TeacherPhase(settings, beams, teacherCache, progress, adjust, gitCommit).directory(LocalData.read(task));
        Path published = Path.of(settings.outputDir()).resolve(settings.jobId()).resolve(FOLDER);
        Path written = published.resolveSibling(FOLDER + ".tmp");
        Directories.deleteTree(written);
        Directories.copyFiles(cached, written);
        Directories.replace(written, published);
        return published;
    }
}
