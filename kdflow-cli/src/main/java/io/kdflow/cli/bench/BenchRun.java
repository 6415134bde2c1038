package io.kdflow.cli.bench;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.Parameter;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.config.ModelConfig;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One benchmark run on a freshly initialised model ({@code transformers}' initialisation, seed 0):
 * the measurements of the chosen modes as ordered key/value pairs, the keys the PyTorch baseline
 * prints ({@code params}, {@code train_step_s}, {@code train_tokens_per_s}, {@code sample_s},
 * {@code sample_tokens_per_s}) plus FLOP figures.
 *
 * @param trainSteps timed training steps (the baseline's {@code --steps}, default 6)
 * @param peakSize matrix size of the {@link BenchMode#PEAK} measurement
 */
public record BenchRun(ModelConfig config, BenchShape shape, Set<BenchMode> modes, int trainSteps, int peakSize) {

    public static final int DEFAULT_TRAIN_STEPS = 6;
    private static final int SEED = 0;

    public BenchRun {
        if (!config.encoderDecoder()) {
            throw new BadInputException("bench needs an encoder-decoder config (bart, t5), got model_type '"
                    + config.modelType() + "'");
        }
        if (modes.isEmpty()) {
            throw new BadInputException("no bench mode given");
        }
        modes = Set.copyOf(modes);
    }

    /** The baseline's protocol: {@value #DEFAULT_TRAIN_STEPS} timed steps, {@link MatmulPeak#DEFAULT_SIZE} peak matrices. */
    public static BenchRun standard(ModelConfig config, BenchShape shape, Set<BenchMode> modes) {
        return new BenchRun(config, shape, modes, DEFAULT_TRAIN_STEPS, MatmulPeak.DEFAULT_SIZE);
    }

    /** Runs the modes in the order train, sample, peak; the model lives under {@code parent} meanwhile. */
    public Map<String, String> run(NDManager parent) {
        Map<String, String> out = new LinkedHashMap<>();
        double peak = modes.contains(BenchMode.PEAK) ? MatmulPeak.gflops(parent, peakSize) : 0;
        try (PretrainedModel model = PretrainedModels.initialize(config, parent, SEED)) {
            Seq2SeqModel seq2seq = (Seq2SeqModel) model;
            out.put("params", Long.toString(parameterCount(model)));
            out.put("batch", Integer.toString(shape.batch()));
            out.put("src", Integer.toString(shape.sourceLength()));
            out.put("tgt", Integer.toString(shape.targetLength()));
            if (modes.contains(BenchMode.TRAIN)) {
                TrainBenchmark.Result train = new TrainBenchmark(seq2seq, shape, trainSteps).run(parent, SEED);
                double gflops = TrainFlops.perStep(config, shape) / train.stepSeconds() / 1e9;
                out.put("train_step_s", format(train.stepSeconds(), 4));
                out.put("train_tokens_per_s", format(train.tokensPerSecond(), 1));
                out.put("train_loss", format(train.lastLoss(), 4));
                out.put("train_gflops_per_s", format(gflops, 1));
                if (peak > 0) {
                    out.put("train_mfu", format(gflops / peak, 3));
                }
            }
            if (modes.contains(BenchMode.SAMPLE)) {
                SampleBenchmark.Result sample = new SampleBenchmark(seq2seq, shape).run(SEED + 1);
                out.put("sample_s", format(sample.seconds(), 4));
                out.put("sample_tokens_per_s", format(sample.tokensPerSecond(), 1));
            }
        }
        if (peak > 0) {
            out.put("matmul_peak_gflops_per_s", format(peak, 1));
        }
        return out;
    }

    /** Elements of every model tensor, tied ones once (buffers such as final_logits_bias included, as PyTorch counts them). */
    static long parameterCount(PretrainedModel model) {
        long count = 0;
        for (Parameter parameter : model.parameters()) {
            count += parameter.array().size();
        }
        return count;
    }

    /** Fixed decimals, or 3 significant digits for values too small to show that way (micro configs). */
    private static String format(double value, int decimals) {
        if (value != 0 && Math.abs(value) < Math.pow(10, 1 - decimals)) {
            return new BigDecimal(value).round(new MathContext(3)).toPlainString();
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
