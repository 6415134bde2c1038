package io.kdflow.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.cli.model.JsonLinesWriter;
import io.kdflow.cli.model.ProgressLine;
import io.kdflow.cli.model.SourceLines;
import io.kdflow.cli.options.BatchSizeOption;
import io.kdflow.cli.options.GenerationOptionsMixin;
import io.kdflow.cli.options.JsonLinesOptions;
import io.kdflow.cli.options.ModelOption;
import io.kdflow.cli.options.SourceLimitOption;
import io.kdflow.cli.options.ThreadsOption;
import io.kdflow.core.decoding.Generation;
import io.kdflow.core.decoding.GenerationInput;
import io.kdflow.core.decoding.GenerationSettings;
import io.kdflow.core.decoding.Generator;
import io.kdflow.core.decoding.Hypothesis;
import io.kdflow.core.decoding.LengthBatches;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.decoding.TopKLogProbs;
import io.kdflow.core.engine.DecodingWorkers;
import io.kdflow.core.model.ModelDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
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

    @Mixin
    ModelOption model;

    @Mixin
    JsonLinesOptions files;

    @Mixin
    GenerationOptionsMixin generation;

    @Mixin
    BatchSizeOption batchSize;

    @Mixin
    SourceLimitOption sourceLimit;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--top-logprobs", paramLabel = "N", defaultValue = "0",
            description = "Also write, per generated position, the N most likely tokens and their log-probs under the"
                    + " model's unscaled distribution (what a pseudo-target record carries; 0 = none).")
    int topLogProbs;

    /** Inputs are sorted by length within windows of this many batches (LengthBatches), written a window at a time. */
    static final int BATCHES_PER_WINDOW = 16;

    @Override
    public Integer call() {
        SourceLines lines = SourceLines.read(files.input(), false);
        int size = batchSize.batchSize();
        int threadCount = threads.applyShared();
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory directory = ModelDirectory.load(model.path(), manager);
                DecodingWorkers workers = DecodingWorkers.forThreads(threadCount)) {
            Generator generator = new Generator(directory.model(), directory.generationConfig());
            GenerationSettings settings = withTopLogProbs(generation.options().applyTo(generator.defaultSettings()),
                    directory.model().config().vocabSize());
            TextEncoding encoding = directory.textEncoding();
            List<GenerationInput> inputs = new ArrayList<>(lines.size());
            for (SourceLines.Example example : lines.examples()) { // every source checked before any work
                inputs.add(GenerationInput.of(sourceLimit.apply(encoding.source(example.source()), example.id(),
                        directory.model().config()), example.id()));
            }
            ProgressLine progress = new ProgressLine("generate", "inputs", lines.size(), spec.commandLine().getErr(), 5);
            long[] newTokens = {0};
            try (JsonLinesWriter out = JsonLinesWriter.create(files.output())) {
                LengthBatches.run(inputs, GenerationInput::length, size, BATCHES_PER_WINDOW * size, batch -> {
                    List<Generation> generations = generator.generate(batch, settings);
                    progress.advance(batch.size());
                    return generations;
                }, (first, generations) -> {
                    for (int i = 0; i < generations.size(); i++) {
                        out.write(line(lines.examples().get(first + i).id(), generations.get(i), encoding));
                        for (Hypothesis hypothesis : generations.get(i).hypotheses()) {
                            newTokens[0] += hypothesis.tokens().length;
                        }
                    }
                    out.flush();
                }, workers);
            }
            progress.finish(newTokens[0], "new tokens");
        }
        return 0;
    }

    private GenerationSettings withTopLogProbs(GenerationSettings settings, int vocabSize) {
        if (topLogProbs < 0 || topLogProbs > vocabSize) {
            throw new UserError("--top-logprobs: expected 0 to the model's vocabulary size (" + vocabSize + "), got "
                    + topLogProbs);
        }
        return topLogProbs == 0 ? settings : settings.toBuilder().logProbTopK(topLogProbs).build();
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
        if (generation.hypotheses().get(0).topK() != null) {
            ArrayNode top = line.putArray("top_logprobs");
            for (Hypothesis hypothesis : generation.hypotheses()) {
                top.add(topLogProbs(hypothesis.topK()));
            }
        }
        return line;
    }

    /** Per position {"ids": [...], "logprobs": [...]}, most likely first. */
    private static ArrayNode topLogProbs(TopKLogProbs topK) {
        ArrayNode positions = JsonLinesWriter.object().arrayNode();
        for (int p = 0; p < topK.positions(); p++) {
            ObjectNode position = positions.addObject();
            ArrayNode ids = position.putArray("ids");
            ArrayNode logProbs = position.putArray("logprobs");
            for (int r = 0; r < topK.k(); r++) {
                ids.add(topK.tokenIds()[p][r]);
                logProbs.add(topK.logProbs()[p][r]);
            }
        }
        return positions;
    }
}
