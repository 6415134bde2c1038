package io.kdflow.core.job;

import io.kdflow.core.pretrain.DenoisingSettings;
import java.util.Optional;

/**
 * Where the teacher comes from ({@code JobSpec.teacher}), resolved and validated.
 *
 * @param source used as is, fine-tuned, or trained here
 * @param dir the Hugging Face directory (PRETRAINED, FINE_TUNE)
 * @param tokenizer TRAIN: the tokenizer trained on the task's text
 * @param configFile TRAIN: the config.json to start from; empty = the bench's bart-small shape
 * @param shape TRAIN: overrides of that config
 * @param pretrainingEpochs TRAIN: denoising pre-training epochs; 0 = none
 * @param denoising TRAIN: the noise of pre-training
 * @param pretraining TRAIN: optimization of pre-training (its epochs are {@code pretrainingEpochs})
 * @param fineTuning FINE_TUNE, TRAIN: cross-entropy fine-tuning on gold
 */
public record TeacherSettings(Source source, Optional<String> dir, TokenizerSettings tokenizer,
        Optional<String> configFile, ModelShape shape, int pretrainingEpochs, DenoisingSettings denoising,
        TrainingSettings pretraining, TrainingSettings fineTuning) {

    public enum Source { PRETRAINED, FINE_TUNE, TRAIN }

    public TeacherSettings {
        if ((source == Source.TRAIN) == dir.isPresent() || pretrainingEpochs < 0) {
            throw new IllegalArgumentException("inconsistent teacher settings: " + source + " " + dir);
        }
    }

    /**
     * @param vocabSize tokens of the vocabulary, special tokens included
     * @param minFrequency least count of a merged pair
     */
    public record TokenizerSettings(int vocabSize, int minFrequency) {

        /** 8000 tokens, pairs seen at least twice. */
        public static final TokenizerSettings DEFAULTS = new TokenizerSettings(8000, 2);

        public TokenizerSettings {
            if (vocabSize < 1 || minFrequency < 1) {
                throw new IllegalArgumentException("inconsistent tokenizer settings: " + this);
            }
        }
    }

    /**
     * Overrides of a BART config; an empty value keeps the config's.
     *
     * @param dModel hidden size
     * @param encoderLayers encoder layers
     * @param decoderLayers decoder layers
     * @param attentionHeads heads of every attention block
     * @param ffnDim inner size of every feed-forward block
     * @param dropout dropout rate
     * @param maxPositionEmbeddings learned positions
     */
    public record ModelShape(Optional<Integer> dModel, Optional<Integer> encoderLayers,
            Optional<Integer> decoderLayers, Optional<Integer> attentionHeads, Optional<Integer> ffnDim,
            Optional<Double> dropout, Optional<Integer> maxPositionEmbeddings) {

        /** No override. */
        public static final ModelShape NONE = new ModelShape(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
