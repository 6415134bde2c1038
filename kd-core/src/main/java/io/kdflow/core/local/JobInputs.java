package io.kdflow.core.local;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.job.TaskSettings;
import io.kdflow.core.pt.PtInput;
import io.kdflow.core.wire.proto.JobSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * The inputs a job's pseudo-targets are generated for, exactly as {@code distill --local} selects them
 * ({@link PtPhase#inputs}: labeled then unlabeled, in file order, the task's sizes applied); none when the job
 * asks for no pseudo-targets (K = 0). The streaming pipeline's submitter publishes these to the sampler.
 */
public final class JobInputs {

    private JobInputs() {}

    /** @throws BadInputException when the job has no task section or its data files cannot be read */
    public static List<PtInput> of(JobSpec spec) {
        JobSettings settings = JobSettings.resolve(spec);
        if (settings.sampling().numPseudoTargets() == 0) {
            return List.of();
        }
        TaskSettings task = settings.task().orElseThrow(() -> new BadInputException("JobSpec.task_spec: missing"
                + " (the pipeline reads the job's inputs from its task section)"));
        return new PtPhase(settings, Path.of(""), LocalProgress.NONE).inputs(LocalData.read(task));
    }
}
