package io.kdflow.cli.demo;

import io.kdflow.core.teacher.BartShape;
import io.kdflow.core.teacher.ScratchBart;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo's starting student: a byte-level BPE tokenizer trained on the task's text and a small BART
 * initialised as Hugging Face does (N(0, 0.02)), written as an HF-layout directory by kd-core's
 * {@link ScratchBart}.
 */
final class DemoStudent {

    private DemoStudent() {}

    /** Writes tokenizer.json, config.json, generation_config.json and model.safetensors into {@code directory}. */
    static void create(Path directory, List<String> texts, int vocabSize, int dModel, int layers, long seed) {
        ScratchBart.create(directory, texts, vocabSize, new BartShape(dModel, layers, layers, 4, 4 * dModel, 0.1, 128),
                seed);
    }
}
