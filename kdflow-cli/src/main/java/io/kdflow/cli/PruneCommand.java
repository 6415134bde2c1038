package io.kdflow.cli;

import ai.djl.ndarray.NDManager;
import io.kdflow.cli.options.ModelOption;
import io.kdflow.cli.options.ThreadsOption;
import io.kdflow.core.compute.ParameterCount;
import io.kdflow.core.model.LayerPruning;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.model.ModelDirectoryWriter;
import io.kdflow.core.model.WeightPrecision;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.config.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kdflow prune}: a student made of chosen teacher layers, weights copied, saved as a Hugging
 * Face model directory with the teacher's tokenizer and generation config (docs/cli.md).
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Keep chosen encoder/decoder layers of a model (weights copied) and save it as a new model"
                + " directory. Without layer options: the first and last decoder layer (the paper's student).")
final class PruneCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--decoder-layers", split = ",", paramLabel = "I,J,...",
            description = "Decoder layers to keep (GPT-2: its layers); negative counts from the end. Default: all,"
                    + " or 0,-1 when no layer option is given.")
    List<Integer> decoderLayers;

    @Option(names = "--encoder-layers", split = ",", paramLabel = "I,J,...",
            description = "Encoder layers to keep (default: all).")
    List<Integer> encoderLayers;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "New model directory.")
    Path output;

    @Option(names = "--weights", defaultValue = "fp32", paramLabel = "fp32|fp16",
            converter = WeightPrecisionConverter.class,
            description = "Precision of the written weights: fp32 (default, exact) or fp16 (half the size, for"
                    + " shipping a finished model; loading widens it back to float32).")
    WeightPrecision weights;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() {
        if (Files.exists(output.resolve("config.json"))) {
            throw new UserError(output + " already holds a model (config.json); choose a new directory");
        }
        threads.applyShared();
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory directory = ModelDirectory.loadWithoutTokenizer(model.path(), manager)) {
            ModelConfig before = directory.model().config();
            List<Integer> decoder = decoderLayers == null && encoderLayers == null
                    ? LayerPruning.FIRST_AND_LAST : decoderLayers;
            try (PretrainedModel pruned = LayerPruning.prune(directory.model(), encoderLayers, decoder, manager)) {
                save(pruned);
                ModelConfig after = pruned.config();
                spec.commandLine().getOut().printf("wrote %s: %s, encoder %d -> %d layers, decoder %d -> %d layers,"
                                + " %,d parameters%n", output, after.modelType(), before.encoderLayerCount(),
                        after.encoderLayerCount(), before.decoderLayerCount(), after.decoderLayerCount(),
                        ParameterCount.of(pruned).total());
                spec.commandLine().getOut().flush();
            }
        }
        return 0;
    }

    /** A directory the user named that cannot be written is theirs to fix, not a bug. */
    private void save(PretrainedModel pruned) {
        try {
            ModelDirectoryWriter.save(pruned, output, model.path(), weights);
        } catch (IOException e) {
            throw new UserError(output + ": cannot write the pruned model: " + e.getMessage(), e);
        }
    }

    /** fp32 / fp16, in the lower case the documentation uses. */
    static final class WeightPrecisionConverter implements picocli.CommandLine.ITypeConverter<WeightPrecision> {
        @Override
        public WeightPrecision convert(String value) {
            return switch (value) {
                case "fp32" -> WeightPrecision.FP32;
                case "fp16" -> WeightPrecision.FP16;
                default -> throw new picocli.CommandLine.TypeConversionException("'" + value
                        + "' is not fp32 or fp16");
            };
        }
    }
}
