package io.kdflow.evaluator.evaluation;

import io.kdflow.core.decoding.Generation;
import io.kdflow.core.decoding.GenerationInput;
import io.kdflow.core.decoding.GenerationSettings;
import io.kdflow.core.decoding.Generator;
import io.kdflow.core.model.ModelDirectory;
import java.util.ArrayList;
import java.util.List;

/**
 * Predictions as the paper produced them: {@code generate(num_beams=4, max_new_tokens=...)} with the rest of
 * the model's generation config (length penalty, early stopping, forced tokens) left as it is.
 */
public final class BeamSearchPredictions implements PredictionGenerator {

    @Override
    public List<long[]> generate(ModelDirectory model, List<long[]> sources, EvaluationSettings settings) {
        Generator generator = new Generator(model.model(), model.generationConfig());
        GenerationSettings defaults = generator.defaultSettings();
        GenerationSettings decoding = defaults.toBuilder()
                .doSample(false)
                .numSamples(1)
                .numBeams(settings.numBeams())
                .numReturnSequences(1)
                .maxNewTokens(settings.maxNewTokens())
                .minNewTokens(Math.min(defaults.minNewTokens(), settings.maxNewTokens()))
                .build();
        List<GenerationInput> inputs = new ArrayList<>(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            inputs.add(new GenerationInput(sources.get(i), i));
        }
        List<long[]> predictions = new ArrayList<>(sources.size());
        for (Generation generation : generator.generate(inputs, decoding)) {
            predictions.add(generation.best().tokens());
        }
        return predictions;
    }
}
