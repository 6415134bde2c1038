package io.kdflow.core.local;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.StudentSettings;
import io.kdflow.core.model.LayerPruning;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.model.ModelDirectoryWriter;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the student's starting point as a Hugging Face directory: the teacher with the job's layer lists
 * (negative indices count from the end; an empty list keeps the stack), a new model of the job's config with
 * the teacher's tokenizer, or a user's directory (pruned the same way when layer lists are given).
 */
final class StudentInit {

    private final StudentSettings student;
    private final long seed;

    StudentInit(StudentSettings student, long seed) {
        this.student = student;
        this.seed = seed;
    }

    /** Writes the student into {@code target} (replaced when present). */
    void write(Path teacherDir, Path target) {
        Path written = target.resolveSibling(target.getFileName() + ".tmp");
        Directories.deleteTree(written);
        try (NDManager manager = NDManager.newBaseManager()) {
            switch (student.source()) {
                case PRUNED_TEACHER -> prune(teacherDir, written, manager);
                case DIR -> prune(Path.of(student.initUri()), written, manager);
                case CONFIG -> {
                    ModelConfig config = readConfig(Path.of(student.configUri()));
                    try (PretrainedModel model = PretrainedModels.initialize(config, manager, (int) seed)) {
                        ModelDirectoryWriter.save(model, written, teacherDir);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the student to " + written + ": " + e.getMessage(), e);
        }
        Directories.replace(written, target);
    }

    private void prune(Path from, Path target, NDManager manager) throws IOException {
        try (ModelDirectory directory = ModelDirectory.loadWithoutTokenizer(from, manager)) {
            List<Integer> encoder = student.keepEncoderLayers().isEmpty() ? null : student.keepEncoderLayers();
            List<Integer> decoder = student.keepDecoderLayers().isEmpty() ? null : student.keepDecoderLayers();
            PretrainedModel pruned;
            try {
                pruned = LayerPruning.prune(directory.model(), encoder, decoder, manager);
            } catch (BadInputException e) {
                throw new BadInputException("JobSpec.student.keep_encoder_layers/keep_decoder_layers: "
                        + e.getMessage(), e);
            }
            try (pruned) {
                ModelDirectoryWriter.save(pruned, target, from);
            }
        }
    }

    private static ModelConfig readConfig(Path file) {
        try {
            return ModelConfigs.read(file);
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("JobSpec.student.config_uri: cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
