package io.kdflow.cli.demo;

import ai.djl.ndarray.NDManager;
import io.kdflow.cli.UserError;
import io.kdflow.core.model.ModelDirectoryWriter;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigException;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.tokenizer.BpeTrainer;
import io.kdflow.core.tokenizer.TokenizerArchitecture;
import io.kdflow.core.tokenizer.TrainedBpe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's starting student: a byte-level BPE tokenizer trained on the task's text and a small BART
 * initialised as Hugging Face does (N(0, 0.02)), written as an HF-layout directory.
 */
final class DemoStudent {

    private DemoStudent() {}

    /** Writes tokenizer.json, config.json, generation_config.json and model.safetensors into {@code directory}. */
    static void create(Path directory, List<String> texts, int vocabSize, int dModel, int layers, long seed) {
        try {
            Files.createDirectories(directory);
            TrainedBpe tokenizer = new BpeTrainer(TokenizerArchitecture.BART, vocabSize, 2).train(texts.iterator());
            tokenizer.writeTo(directory.resolve("tokenizer.json"));
            try (NDManager manager = NDManager.newBaseManager();
                    PretrainedModel model = PretrainedModels.initialize(config(tokenizer.vocabSize(), dModel, layers),
                            manager, (int) seed)) {
                ModelDirectoryWriter.save(model, directory, null);
            }
        } catch (IOException e) {
            throw new UserError("cannot write the demo student to " + directory + ": " + e.getMessage());
        }
    }

    private static ModelConfig config(int vocabSize, int dModel, int layers) {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("model_type", "bart");
        keys.put("architectures", List.of("BartForConditionalGeneration"));
        keys.put("vocab_size", vocabSize);
        keys.put("d_model", dModel);
        keys.put("encoder_layers", layers);
        keys.put("decoder_layers", layers);
        keys.put("encoder_attention_heads", 4);
        keys.put("decoder_attention_heads", 4);
        keys.put("encoder_ffn_dim", 4 * dModel);
        keys.put("decoder_ffn_dim", 4 * dModel);
        keys.put("max_position_embeddings", 128);
        keys.put("activation_function", "gelu");
        keys.put("dropout", 0.1);
        keys.put("init_std", 0.02);
        keys.put("scale_embedding", false);
        keys.put("tie_word_embeddings", true);
        keys.put("pad_token_id", 1);
        keys.put("bos_token_id", 0);
        keys.put("eos_token_id", 2);
        keys.put("decoder_start_token_id", 2);
        keys.put("forced_eos_token_id", 2);
        try {
            return ModelConfigs.parse(keys, "demo student config");
        } catch (ModelConfigException e) {
            throw new IllegalStateException("the demo student config is invalid: " + e.getMessage(), e);
        }
    }
}
