package io.kdflow.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.cli.model.EngineSetup;
import io.kdflow.cli.model.JsonLinesWriter;
import io.kdflow.cli.model.ModelDirectory;
import io.kdflow.cli.model.ProgressLine;
import io.kdflow.cli.model.SourceLines;
import io.kdflow.core.decoding.ScoringPair;
import io.kdflow.core.decoding.TargetScore;
import io.kdflow.core.decoding.TeacherForcedScorer;
import io.kdflow.core.decoding.TextEncoding;
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
 * {@code kdflow score}: teacher-forced mean token NLL of each target given its source, one line per
 * example, and a summary line on stderr (docs/cli.md).
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Teacher-forced mean token NLL of each target given its source: JSONL {\"id\", \"source\","
                + " \"target\"} in, {\"id\", \"nll\", \"tokens\"} out, the mean NLL on stderr.")
final class ScoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Hugging Face model directory.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "IN.jsonl",
            description = "Lines {\"id\", \"source\", \"target\"}.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT.jsonl", description = "Where to write results.")
    Path output;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "16",
            description = "Examples scored together (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--threads", paramLabel = "N", description = "libtorch intra-op threads (default: all processors).")
    Integer threads;

    @Override
    public Integer call() {
        SourceLines lines = SourceLines.read(input, true);
        List<List<SourceLines.Example>> batches = lines.batches(batchSize);
        EngineSetup.configure(threads);
        double nllSum = 0;
        double tokenNllSum = 0;
        long tokens = 0;
        try (ModelDirectory directory = ModelDirectory.load(model, true)) {
            TeacherForcedScorer scorer = new TeacherForcedScorer(directory.model(), directory.generationConfig());
            TextEncoding encoding = directory.textEncoding();
            ProgressLine progress = new ProgressLine("score", "examples", lines.size(), spec.commandLine().getErr(), 5);
            try (JsonLinesWriter out = JsonLinesWriter.create(output)) {
                for (List<SourceLines.Example> batch : batches) {
                    List<ScoringPair> pairs = new ArrayList<>(batch.size());
                    for (SourceLines.Example example : batch) {
                        pairs.add(new ScoringPair(encoding.source(example.source()), encoding.target(example.target())));
                    }
                    List<TargetScore> scores = scorer.score(pairs, 0);
                    for (int i = 0; i < batch.size(); i++) {
                        TargetScore score = scores.get(i);
                        ObjectNode line = JsonLinesWriter.object();
                        line.put("id", batch.get(i).id());
                        line.put("nll", score.nll());
                        line.put("tokens", score.tokens());
                        out.write(line);
                        nllSum += score.nll();
                        tokenNllSum += score.totalNll();
                        tokens += score.tokens();
                    }
                    out.flush();
                    progress.advance(batch.size());
                }
            }
        }
        spec.commandLine().getErr().printf(Locale.ROOT,
                "score: %d examples, %d target tokens, mean NLL %.6f (token-weighted %.6f)%n",
                lines.size(), tokens, nllSum / lines.size(), tokenNllSum / tokens);
        spec.commandLine().getErr().flush();
        return 0;
    }
}
