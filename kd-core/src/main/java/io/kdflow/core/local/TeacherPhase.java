package io.kdflow.core.local;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.job.TeacherSettings;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.teacher.TeacherCache;
import io.kdflow.core.teacher.TeacherData;
import io.kdflow.core.teacher.TeacherProgress;
import io.kdflow.core.teacher.TeacherRecipe;
import io.kdflow.core.teacher.TeacherTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The job's teacher as a Hugging Face directory: a PRETRAINED directory as is; FINE_TUNE and TRAIN through
 * {@link TeacherTrainer} with the recipe the job describes ({@link TeacherRecipe#of}), cached in
 * {@link TeacherCache} (normally {@code <cache>/teachers}, shared with {@code kdflow teacher train}) so that
 * later jobs reuse it.
 */
final class TeacherPhase {

    private final JobSettings settings;
    private final int devBeams;
    private final Path teacherCache;
    private final LocalProgress progress;
    private final UnaryOperator<TeacherRecipe> adjust;
    private final Optional<String> gitCommit;

    /** @param adjust changes the recipe the job describes (a command line's overrides); identity for none */
    TeacherPhase(JobSettings settings, int devBeams, Path teacherCache, LocalProgress progress,
            UnaryOperator<TeacherRecipe> adjust) {
        this(settings, devBeams, teacherCache, progress, adjust, Optional.empty());
    }

    /** @param gitCommit the code's commit, recorded in a trained teacher's {@code teacher.json} */
    TeacherPhase(JobSettings settings, int devBeams, Path teacherCache, LocalProgress progress,
            UnaryOperator<TeacherRecipe> adjust, Optional<String> gitCommit) {
        this.settings = settings;
        this.devBeams = devBeams;
        this.teacherCache = teacherCache;
        this.progress = progress;
        this.adjust = adjust;
        this.gitCommit = gitCommit;
    }

    /** The teacher's directory, trained first when the job says so. */
    Path directory(LocalData data) {
        TeacherSettings teacher = settings.teacher().orElseThrow(() -> new BadInputException("JobSpec.teacher:"
                + " missing (distill --local needs a teacher section: source pretrained, fine_tune or train)"));
        if (teacher.source() == TeacherSettings.Source.PRETRAINED) {
            Path dir = Path.of(teacher.dir().orElseThrow());
            requireModelDirectory(dir);
            progress.onNote("teacher: " + dir + " (pretrained, used as is)");
            return dir;
        }
        if (data.dev().isEmpty()) {
            throw new BadInputException("JobSpec.task_spec.dev_uri: missing (training or fine-tuning a teacher"
                    + " selects its epoch on dev)");
        }
        TeacherRecipe recipe = adjust.apply(TeacherRecipe.of(settings, devBeams));
        List<Path> files = new ArrayList<>(data.files());
        Optional<Path> pretrained = teacher.dir().map(Path::of);
        pretrained.ifPresent(dir -> {
            requireModelDirectory(dir);
            requireEncoderDecoder(dir);
            files.add(dir.resolve("model.safetensors"));
        });
        TeacherCache.Entry entry = new TeacherCache(teacherCache).getOrTrain(recipe, files,
                gitCommit, (work, output) -> {
                    TeacherTrainer trainer = new TeacherTrainer(recipe, progressOf());
                    TeacherData teacherData = new TeacherData(data.train(), data.dev(),
                            data.unlabeled().stream().map(input -> input.source()).toList());
                    return pretrained.isPresent()
                            ? trainer.fineTunePretrained(pretrained.get(), teacherData, work, output)
                            : trainer.trainFromScratch(teacherData, work, output);
                });
        progress.onNote("teacher: " + entry.directory() + (entry.reused() ? " (reused from the cache)" : " (trained)"));
        return entry.directory();
    }

    private TeacherProgress progressOf() {
        return new TeacherProgress() {
            @Override
            public void onStep(Step s) {
                progress.onProgress(new LocalProgress.Update("teacher " + s.phase(), s.step(), s.totalSteps(),
                        "steps", s.stepsPerSecond(), s.etaSeconds(), String.format(Locale.ROOT,
                                "loss %.4f", s.loss())));
            }

            @Override
            public void onNote(String message) {
                progress.onNote("teacher: " + message);
            }
        };
    }

    /** The teacher trainer fine-tunes encoder-decoder models only; a GPT-2 teacher is used as it is. */
    private static void requireEncoderDecoder(Path dir) {
        ModelConfig config;
        try {
            config = ModelConfigs.read(dir.resolve(ModelConfigs.FILE_NAME));
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("JobSpec.teacher.dir: cannot read " + dir.resolve(ModelConfigs.FILE_NAME)
                    + ": " + e.getMessage(), e);
        }
        if (!config.encoderDecoder()) {
            throw new BadInputException("JobSpec.teacher.source: FINE_TUNE of " + dir + ", a decoder-only "
                    + config.modelType() + " model, is not supported (teachers are trained and fine-tuned here as"
                    + " encoder-decoder models: BART, T5); use source pretrained to distill a " + config.modelType()
                    + " teacher as it is");
        }
    }

    private static void requireModelDirectory(Path dir) {
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new BadInputException("JobSpec.teacher.dir: " + dir + " is not a Hugging Face model directory (no"
                    + " config.json; train the teacher first, e.g. ./kdflow teacher train --job"
                    + " jobs/shakespeare-teacher.yaml)");
        }
    }
}
