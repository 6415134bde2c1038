package io.kdflow.cli;

import ai.djl.ndarray.NDManager;
import io.kdflow.cli.bench.BenchMode;
import io.kdflow.cli.bench.BenchRun;
import io.kdflow.cli.bench.BenchShape;
import io.kdflow.cli.options.ThreadsOption;
import io.kdflow.core.engine.EngineSetup;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.model.nn.DenormalFlush;
import io.kdflow.core.model.nn.MallocRetention;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kdflow bench}: training and sampling throughput of a freshly initialised model on random
 * tokens, the same work as the PyTorch baseline script (docs/performance.md), printed as one line of
 * {@code key=value} pairs.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure train and sampling tokens/s of a model config (random tokens, one line of key=value).")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "CONFIG.json",
            description = "A Hugging Face config.json of an encoder-decoder (bart, t5), or a model directory.")
    Path config;

    @Option(names = "--batch", defaultValue = "32", description = "Rows per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--src", defaultValue = "48", description = "Source tokens per row (default: ${DEFAULT-VALUE}).")
    int sourceLength;

    @Option(names = "--tgt", defaultValue = "48",
            description = "Target tokens per row; sampling generates this many (default: ${DEFAULT-VALUE}).")
    int targetLength;

    @Option(names = "--mode", defaultValue = "train,sample", split = ",",
            description = "Any of train, sample, peak (float32 matmul GFLOP/s, adds train_mfu) (default: ${DEFAULT-VALUE}).")
    List<String> modes;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--steps", defaultValue = "6",
            description = "Timed training steps after 2 warm-up steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--peak-size", defaultValue = "2048",
            description = "Matrix size n of the n x n float32 products of --mode peak (default: ${DEFAULT-VALUE}).")
    int peakSize;

    @Override
    public Integer call() {
        ModelConfig modelConfig = readConfig();
        BenchRun run = new BenchRun(modelConfig, new BenchShape(batch, sourceLength, targetLength),
                BenchMode.parse(modes), steps, peakSize);
        Map<String, String> out = new LinkedHashMap<>();
        out.put("model_type", modelConfig.modelType());
        out.put("threads", Integer.toString(threads.applyOwningMachine()));
        out.put("omp_wait_policy", EngineSetup.ompWaitPolicy());
        out.put("jit", jit());
        out.put("flush_denormal", Boolean.toString(DenormalFlush.isEnabled()));
        out.put("malloc_retain", Boolean.toString(MallocRetention.isEnabled()));
        try (NDManager manager = NDManager.newBaseManager()) {
            out.putAll(run.run(manager));
        }
        spec.commandLine().getOut().println(out.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
        return 0;
    }

    /**
     * {@code c1} when the JVM runs with the C1 compiler only ({@code -XX:TieredStopAtLevel=1}, as the
     * {@code ./kdflow} launcher starts bench), {@code tiered} otherwise.
     */
    private static String jit() {
        boolean c1 = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(argument -> argument.equals("-XX:TieredStopAtLevel=1"));
        return c1 ? "c1" : "tiered";
    }

    private ModelConfig readConfig() {
        try {
            return ModelConfigs.read(config);
        } catch (NoSuchFileException e) {
            throw new UserError("config not found: " + config);
        } catch (IOException e) {
            throw new UserError("cannot read config " + config + ": " + e.getMessage());
        }
    }
}
