package io.kdflow.evaluator.evaluation;

import io.kdflow.core.model.ModelDirectory;
import java.util.List;

/** Produces one prediction (generated token ids, special tokens included) per source. */
@FunctionalInterface
public interface PredictionGenerator {

    /**
     * @param sources token ids of each source, with the tokenizer's template tokens
     * @return per source the generated ids, without the decoder start token
     */
    List<long[]> generate(ModelDirectory model, List<long[]> sources, EvaluationSettings settings);
}
