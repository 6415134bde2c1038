package io.kdflow.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdflow.cli.model.JsonLinesWriter;
import io.kdflow.cli.model.ProgressLine;
import io.kdflow.cli.model.SourceLines;
import io.kdflow.cli.options.BatchSizeOption;
import io.kdflow.cli.options.JsonLinesOptions;
import io.kdflow.cli.options.ModelOption;
import io.kdflow.cli.options.SourceLimitOption;
import io.kdflow.cli.options.TargetLimitOption;
import io.kdflow.cli.options.ThreadsOption;
import io.kdflow.core.decoding.LengthBatches;
import io.kdflow.core.decoding.ScoringPair;
import io.kdflow.core.decoding.TargetScore;
import io.kdflow.core.decoding.TeacherForcedScorer;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.engine.DecodingWorkers;
import io.kdflow.core.model.ModelDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

    @Mixin
    ModelOption model;

    @Mixin
    JsonLinesOptions files;

    @Mixin
    BatchSizeOption batchSize;

    @Mixin
    SourceLimitOption sourceLimit;

    @Mixin
    TargetLimitOption targetLimit;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() {
        SourceLines lines = SourceLines.read(files.input(), true);
        int size = batchSize.batchSize();
        int threadCount = threads.applyShared();
        Totals totals = new Totals();
        long started = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory directory = ModelDirectory.load(model.path(), manager);
                DecodingWorkers workers = DecodingWorkers.forThreads(threadCount)) {
            TeacherForcedScorer scorer = new TeacherForcedScorer(directory.model(), directory.generationConfig());
            TextEncoding encoding = directory.textEncoding();
            List<ScoringPair> pairs = new ArrayList<>(lines.size());
            for (SourceLines.Example example : lines.examples()) { // every pair checked before any work
                pairs.add(new ScoringPair(sourceLimit.apply(encoding.source(example.source()), example.id(),
                        directory.model().config()), targetLimit.apply(encoding.target(example.target()), example.id(),
                        directory.model().config())));
            }
            ProgressLine progress = new ProgressLine("score", "examples", lines.size(), spec.commandLine().getErr(), 5);
            try (JsonLinesWriter out = JsonLinesWriter.create(files.output())) {
                long loopStart = System.nanoTime();
                LengthBatches.run(pairs, ScoringPair::length, workers.scoringBatchRows(size),
                        GenerateCommand.BATCHES_PER_WINDOW * size, batch -> {
                    List<TargetScore> scores = scorer.score(batch, 0);
                    progress.advance(batch.size());
                    return scores;
                }, (first, scores) -> {
                    for (int i = 0; i < scores.size(); i++) {
                        TargetScore score = scores.get(i);
                        ObjectNode line = JsonLinesWriter.object();
                        line.put("id", lines.examples().get(first + i).id());
                        line.put("nll", score.nll());
                        line.put("tokens", score.tokens());
                        out.write(line);
                        totals.add(score);
                    }
                    out.flush();
                }, workers);
                totals.loopNanos = System.nanoTime() - loopStart; // wall time: batches overlap on the workers
            }
        }
        // The command's time (model loading included: what a user waits for) and the scoring loop's alone (what a
        // benchmark compares with another engine's forward passes).
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        double loopSeconds = Math.max(1e-9, totals.loopNanos / 1e9);
        spec.commandLine().getErr().printf(Locale.ROOT,
                "score: %d examples, %d target tokens, mean NLL %.6f (token-weighted %.6f), %.2f s, %.1f target"
                        + " tokens/s; scoring loop %.2f s, %.1f target tokens/s%n",
                lines.size(), totals.tokens, totals.nll / lines.size(), totals.tokenNll / totals.tokens, seconds,
                totals.tokens / seconds, loopSeconds, totals.tokens / loopSeconds);
        spec.commandLine().getErr().flush();
        return 0;
    }

    /** The sums of the closing line: per-example mean NLLs, per-token NLLs, tokens and the scorer's time. */
    private static final class Totals {
        double nll;
        double tokenNll;
        long tokens;
        long loopNanos;

        void add(TargetScore score) {
            nll += score.nll();
            tokenNll += score.totalNll();
            tokens += score.tokens();
        }
    }
}
