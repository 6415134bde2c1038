package io.kdflow.evaluator.evaluation;

import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.metrics.MeanNll;
import io.kdflow.core.metrics.TaskMetrics;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a model on one split as the paper does (PAPER-SPEC section 7, item 7): beam-search predictions
 * decoded without special tokens, references decoded from the tokenized and truncated gold, empty pairs
 * dropped, sacrebleu/rouge-score metrics ({@link TaskMetrics}), and the mean gold NLL.
 */
public final class SplitEvaluation {

    private SplitEvaluation() {}

    public static SplitResult run(ModelDirectory model, List<EvalExample> examples, EvaluationSettings settings,
            PredictionGenerator generator) {
        TextTokenizer tokenizer = model.tokenizer();
        List<long[]> sources = List.of(tokenizer.batchEncode(sourceTexts(examples), settings.maxSourceTokens()));
        List<String> predictions = new ArrayList<>(examples.size());
        for (int from = 0; from < sources.size(); from += settings.batchSize()) {
            List<long[]> batch = sources.subList(from, Math.min(sources.size(), from + settings.batchSize()));
            for (long[] generated : generator.generate(model, batch, settings)) {
                predictions.add(tokenizer.decode(generated, true));
            }
        }
        TextEncoding encoding = model.textEncoding();
        List<List<String>> references = new ArrayList<>(examples.size());
        List<long[]> nllTargets = new ArrayList<>(examples.size());
        for (EvalExample example : examples) {
            List<String> decoded = new ArrayList<>(example.references().size());
            for (String reference : example.references()) {
                long[] target = TextEncoding.truncateKeepingEnd(encoding.target(reference), settings.maxTargetTokens());
                decoded.add(tokenizer.decode(target, true));
                if (decoded.size() == 1) {
                    nllTargets.add(target);
                }
            }
            references.add(decoded);
        }
        Map<String, Double> metrics = new LinkedHashMap<>(
                MetricNames.of(TaskMetrics.score(predictions, references, TaskMetrics.Options.paperProtocol())));
        MeanNll nll = GoldNll.compute(model.seq2seq(), sources, nllTargets, settings.batchSize());
        metrics.put(MetricNames.NLL, nll.tokenWeightedMean());
        return new SplitResult(metrics, examples.size(), predictions);
    }

    private static List<String> sourceTexts(List<EvalExample> examples) {
        return examples.stream().map(EvalExample::source).toList();
    }
}
