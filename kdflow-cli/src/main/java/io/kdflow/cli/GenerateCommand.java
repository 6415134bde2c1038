package io.kdflow.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.cli.model.EngineSetup;
import io.kdflow.cli.model.JsonLinesWriter;
import io.kdflow.cli.model.ModelDirectory;
import io.kdflow.cli.model.ProgressLine;
import io.kdflow.cli.model.SourceLines;
import io.kdflow.core.decoding.Generation;
import io.kdflow.core.decoding.GenerationInput;
import io.kdflow.core.decoding.GenerationSettings;
import io.kdflow.core.decoding.Generator;
import io.kdflow.core.decoding.Hypothesis;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.model.config.GenerationConfig.EarlyStopping;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kdflow generate}: greedy decoding, beam search or sampling over a JSON Lines file
 * (docs/cli.md, docs/decoding.md). Unset options take the model's generation_config.json values.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate with a model: greedy, beam search or sampling; JSONL {\"id\", \"source\"} in,"
                + " {\"id\", \"predictions\", \"token_ids\", \"scores\"} out. Unset options come from the model's"
                + " generation_config.json.")
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Hugging Face model directory.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "IN.jsonl", description = "Lines {\"id\", \"source\"}.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT.jsonl", description = "Where to write results.")
    Path output;

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "Most generated tokens per sequence.")
    Integer maxNewTokens;

    @Option(names = "--min-new-tokens", paramLabel = "N", description = "No EOS before this many tokens.")
    Integer minNewTokens;

    @Option(names = "--num-beams", paramLabel = "N", description = "Beam search with N beams (1 = greedy).")
    Integer numBeams;

    @Option(names = "--num-return-sequences", paramLabel = "N",
            description = "Beams returned per input; with --sample, samples per input.")
    Integer numReturnSequences;

    @Option(names = "--length-penalty", paramLabel = "X", description = "Beam scores: sum log p / length^X.")
    Double lengthPenalty;

    @Option(names = "--early-stopping", paramLabel = "true|false|never", description = "Beam search stopping rule.")
    String earlyStopping;

    @Option(names = "--sample", description = "Sample instead of greedy/beam search.")
    boolean sample;

    @Option(names = "--top-k", paramLabel = "K", description = "Sampling: keep the K most likely tokens (0 = all).")
    Integer topK;

    @Option(names = "--top-p", paramLabel = "P", description = "Sampling: nucleus mass (1 = all).")
    Double topP;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling: divide logits by T.")
    Double temperature;

    @Option(names = "--seed", paramLabel = "S", description = "Sampling seed (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    long seed;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "16",
            description = "Inputs decoded together (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--threads", paramLabel = "N", description = "libtorch intra-op threads (default: all processors).")
    Integer threads;

    @Override
    public Integer call() {
        SourceLines lines = SourceLines.read(input, false);
        List<List<SourceLines.Example>> batches = lines.batches(batchSize);
        EngineSetup.configure(threads);
        try (ModelDirectory directory = ModelDirectory.load(model, true)) {
            Generator generator = new Generator(directory.model(), directory.generationConfig());
            GenerationSettings settings = settings(generator.defaultSettings());
            TextEncoding encoding = directory.textEncoding();
            ProgressLine progress = new ProgressLine("generate", "inputs", lines.size(), spec.commandLine().getErr(), 5);
            try (JsonLinesWriter out = JsonLinesWriter.create(output)) {
                for (List<SourceLines.Example> batch : batches) {
                    List<GenerationInput> inputs = new ArrayList<>(batch.size());
                    for (SourceLines.Example example : batch) {
                        inputs.add(GenerationInput.of(encoding.source(example.source()), example.id()));
                    }
                    List<Generation> generations = generator.generate(inputs, settings);
                    for (int i = 0; i < batch.size(); i++) {
                        out.write(line(batch.get(i).id(), generations.get(i), encoding));
                    }
                    out.flush();
                    progress.advance(batch.size());
                }
            }
            progress.finish();
        }
        return 0;
    }

    /** The model's defaults with the options given on the command line. */
    GenerationSettings settings(GenerationSettings defaults) {
        GenerationSettings.Builder builder = defaults.toBuilder().seed(seed);
        if (sample) {
            builder.doSample(true).numReturnSequences(1);
            if (numBeams == null) {
                builder.numBeams(1);
            }
        }
        boolean sampling = sample || defaults.doSample();
        if (maxNewTokens != null) {
            builder.maxNewTokens(maxNewTokens);
        }
        if (minNewTokens != null) {
            builder.minNewTokens(minNewTokens);
        }
        if (numBeams != null) {
            builder.numBeams(numBeams);
        }
        if (numReturnSequences != null) {
            if (sampling) {
                builder.numSamples(numReturnSequences);
            } else {
                builder.numReturnSequences(numReturnSequences);
            }
        }
        if (lengthPenalty != null) {
            builder.lengthPenalty(lengthPenalty);
        }
        if (earlyStopping != null) {
            builder.earlyStopping(parseEarlyStopping(earlyStopping));
        }
        if (topK != null) {
            builder.topK(topK);
        }
        if (topP != null) {
            builder.topP(topP);
        }
        if (temperature != null) {
            builder.temperature(temperature);
        }
        return builder.build();
    }

    private static EarlyStopping parseEarlyStopping(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> EarlyStopping.TRUE;
            case "false" -> EarlyStopping.FALSE;
            case "never" -> EarlyStopping.NEVER;
            default -> throw new UserError("--early-stopping: expected true, false or never, got \"" + value + "\"");
        };
    }

    private static ObjectNode line(String id, Generation generation, TextEncoding encoding) {
        ObjectNode line = JsonLinesWriter.object();
        line.put("id", id);
        ArrayNode predictions = line.putArray("predictions");
        ArrayNode tokenIds = line.putArray("token_ids");
        ArrayNode scores = line.putArray("scores");
        for (Hypothesis hypothesis : generation.hypotheses()) {
            predictions.add(encoding.decode(hypothesis.tokens()));
            ArrayNode ids = tokenIds.addArray();
            for (long token : hypothesis.tokens()) {
                ids.add(token);
            }
            scores.add(hypothesis.score());
        }
        return line;
    }
}
