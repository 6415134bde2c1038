package io.kdflow.cli;

import io.kdflow.cli.metrics.ScoringCorpus;
import io.kdflow.cli.report.PrettyJson;
import io.kdflow.core.metrics.TaskMetrics;
import io.kdflow.core.metrics.TaskMetricsResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kdflow metrics}: scores a predictions file against a references file (paired by id) with
 * {@link TaskMetrics} and prints the result as JSON (docs/metrics.md, "Command line").
 */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "BLEU, chrF, TER, ROUGE-1/2/L and the paper's ROUGE (mean of the three F1) for predictions"
                + " vs references, paired by id, as JSON.")
final class MetricsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--predictions", required = true, paramLabel = "P.jsonl",
            description = "Lines {\"id\", \"prediction\"} or ./kdflow generate output {\"id\", \"predictions\": [...]}"
                    + " (the first prediction is scored).")
    Path predictions;

    @Option(names = "--references", required = true, paramLabel = "R.jsonl",
            description = "Lines {\"id\", \"references\": [...]} or {\"id\", \"target\"}; references win when"
                    + " both are present.")
    Path references;

    @Option(names = "--drop-empty",
            description = "Drop pairs whose prediction or references are all blank (the paper's protocol).")
    boolean dropEmpty;

    @Option(names = "--stem", description = "Porter-stem ROUGE tokens (off by default, as in the paper).")
    boolean stem;

    @Option(names = "--output", paramLabel = "OUT.json", description = "Write the JSON here instead of stdout.")
    Path output;

    @Override
    public Integer call() {
        ScoringCorpus corpus = ScoringCorpus.read(predictions, references);
        TaskMetrics.Options options = TaskMetrics.Options.defaults().withDropEmpty(dropEmpty).withRougeStemming(stem);
        TaskMetricsResult result = TaskMetrics.score(corpus.predictions(), corpus.references(), options);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("predictions_file", predictions.toString());
        json.put("references_file", references.toString());
        json.putAll(result.toJsonMap());
        if (output == null) {
            spec.commandLine().getOut().print(PrettyJson.toJson(json));
            spec.commandLine().getOut().flush();
        } else {
            PrettyJson.write(output, json);
        }
        return 0;
    }
}
