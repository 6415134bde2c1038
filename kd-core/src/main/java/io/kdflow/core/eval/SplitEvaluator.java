package io.kdflow.core.eval;

import io.kdflow.core.decoding.Generation;
import io.kdflow.core.decoding.GenerationInput;
import io.kdflow.core.decoding.GenerationSettings;
import io.kdflow.core.decoding.Generator;
import io.kdflow.core.decoding.LengthBatches;
import io.kdflow.core.decoding.PositionBudget;
import io.kdflow.core.decoding.PromptTemplate;
import io.kdflow.core.decoding.ScoringPair;
import io.kdflow.core.decoding.TargetScore;
import io.kdflow.core.decoding.TeacherForcedScorer;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.engine.DecodingWorkers;
import io.kdflow.core.metrics.MeanNll;
import io.kdflow.core.metrics.TaskMetrics;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores an already-loaded model on one split as the paper does:
 * <ul>
 *   <li>predictions: the source, tokenized with the model's template and truncated to {@code maxSourceTokens},
 *       decoded by the product's {@link Generator} with beam search ({@code numBeams}, {@code maxNewTokens}; the
 *       model's generation config supplies the rest) and decoded without special tokens;</li>
 *   <li>references: each reference as the model generates targets ({@link TextEncoding#target}), truncated to
 *       {@code maxTargetTokens} with EOS kept, decoded without special tokens (references from the tokenized,
 *       truncated gold);</li>
 *   <li>task metrics: {@link TaskMetrics} with the paper's protocol (empty pairs dropped, no stemming);</li>
 *   <li>NLL: the first reference's target scored by {@link TeacherForcedScorer}, the token-weighted mean gold NLL
 *       in nats (not exponentiated).</li>
 * </ul>
 *
 * <p>A decoder-only model (GPT-2) is given prompts: the {@link PromptTemplate} applied to each source, its last
 * {@code maxSourceTokens} tokens kept ({@link TextEncoding#input}). Its predictions are the generated
 * continuations alone (the prompt is never part of them), its references the targets it is trained on (no
 * special tokens, EOS appended), and its NLL is over the reference's tokens after the prompt only. Prompt and new
 * tokens must fit the model's positions.
 */
public final class SplitEvaluator {

    private final PretrainedModel model;
    private final TextTokenizer tokenizer;
    private final TextEncoding encoding;
    private final Generator generator;
    private final TeacherForcedScorer scorer;
    private final PromptTemplate prompt;

    /** An evaluator whose sources are used as they are (no prompt template). */
    public SplitEvaluator(PretrainedModel model, TextTokenizer tokenizer, GenerationConfig generation) {
        this(model, tokenizer, generation, PromptTemplate.NONE);
    }

    /**
     * @param model an encoder-decoder (BART, T5) or decoder-only (GPT-2) model
     * @param prompt a decoder-only model's prompt template (the task's {@code prompt}); encoder-decoder models
     *     ignore it
     */
    public SplitEvaluator(PretrainedModel model, TextTokenizer tokenizer, GenerationConfig generation,
            PromptTemplate prompt) {
        this.model = model;
        this.prompt = prompt;
        this.tokenizer = tokenizer;
        this.encoding = new TextEncoding(tokenizer, model.config(), generation);
        this.generator = new Generator(model, generation);
        this.scorer = new TeacherForcedScorer(model, generation);
    }

    /**
     * @throws io.kdflow.core.error.BadInputException when a decoder-only model's prompt and new tokens do not fit
     *     its positions
     */
    public SplitResult evaluate(List<EvalExample> examples, EvaluationSettings settings) {
        return evaluate(examples, settings, DecodingWorkers.serial());
    }

    /**
     * {@link #evaluate(List, EvaluationSettings)} with the decoding and scoring batches on {@code workers}.
     *
     * @throws io.kdflow.core.error.BadInputException when a decoder-only model's prompt and new tokens do not fit
     *     its positions
     */
    public SplitResult evaluate(List<EvalExample> examples, EvaluationSettings settings, DecodingWorkers workers) {
        List<long[]> sources = sources(examples, settings);
        List<String> predictions = predict(sources, settings, workers);
        List<List<String>> references = new ArrayList<>(examples.size());
        List<ScoringPair> gold = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            List<String> decoded = new ArrayList<>();
            for (String reference : examples.get(i).references()) {
                long[] target = TextEncoding.truncateKeepingEnd(encoding.target(reference), settings.maxTargetTokens());
                decoded.add(tokenizer.decode(target, true));
                if (decoded.size() == 1) {
                    gold.add(new ScoringPair(sources.get(i), target));
                }
            }
            references.add(decoded);
        }
        Map<String, Double> metrics = new LinkedHashMap<>(
                MetricNames.of(TaskMetrics.score(predictions, references, TaskMetrics.Options.paperProtocol())));
        metrics.put(MetricNames.NLL, goldNll(gold, settings.batchSize(), workers).tokenWeightedMean());
        return new SplitResult(metrics, examples.size(), predictions);
    }

    /**
     * The decoding the predictions use: the model's generation config (length penalty, early stopping...) with
     * the evaluation's beams and new-token limit, one returned sequence, no sampling.
     */
    public GenerationSettings decoding(EvaluationSettings settings) {
        GenerationSettings defaults = generator.defaultSettings();
        return defaults.toBuilder()
                .doSample(false)
                .numSamples(1)
                .numBeams(settings.numBeams())
                .numReturnSequences(1)
                .maxNewTokens(settings.maxNewTokens())
                .minNewTokens(Math.min(defaults.minNewTokens(), settings.maxNewTokens()))
                .build();
    }

    private List<long[]> sources(List<EvalExample> examples, EvaluationSettings settings) {
        if (!encoding.decoderOnly()) {
            return List.of(tokenizer.batchEncode(examples.stream().map(EvalExample::source).toList(),
                    settings.maxSourceTokens()));
        }
        List<long[]> prompts = new ArrayList<>(examples.size());
        for (EvalExample example : examples) {
            long[] ids = encoding.input(example.source(), prompt, settings.maxSourceTokens());
            PositionBudget.requireFits(model.config(), ids.length,
                    Math.max(settings.maxNewTokens(), settings.maxTargetTokens()), "example " + example.id(),
                    "JobSpec.training.max_source_tokens, JobSpec.evaluation.max_new_tokens or"
                            + " JobSpec.training.max_target_tokens");
            prompts.add(ids);
        }
        return prompts;
    }

    /** Beam-search predictions in input order, computed in batches of similar source length. */
    private List<String> predict(List<long[]> sources, EvaluationSettings settings, DecodingWorkers workers) {
        GenerationSettings beams = decoding(settings);
        List<GenerationInput> inputs = new ArrayList<>(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            inputs.add(new GenerationInput(sources.get(i), i));
        }
        List<String> predictions = new ArrayList<>(sources.size());
        LengthBatches.run(inputs, GenerationInput::length, settings.batchSize(), Math.max(1, inputs.size()),
                batch -> generator.generate(batch, beams), (first, generations) -> {
                    for (Generation generation : generations) {
                        predictions.add(tokenizer.decode(generation.best().tokens(), true));
                    }
                }, workers);
        return predictions;
    }

    /** The gold NLL, scored in batches of similar length (the order changes the sum by rounding only). */
    private MeanNll goldNll(List<ScoringPair> gold, int batchSize, DecodingWorkers workers) {
        MeanNll nll = new MeanNll();
        LengthBatches.run(gold, ScoringPair::length, workers.scoringBatchRows(batchSize), Math.max(1, gold.size()),
                batch -> scorer.score(batch, 0), (first, scores) -> {
                    for (TargetScore score : scores) {
                        nll.add(Math.max(0.0, score.totalNll()), score.tokens()); // a log-softmax may round to +1e-7
                    }
                }, workers);
        return nll;
    }
}
