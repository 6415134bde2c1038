package io.kdflow.core.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The result of {@link BpeTrainer}: the vocabulary (list index = id) and merges in learned order.
 *
 * @param requestedVocabSize the size asked for; {@link #vocabSize()} is smaller when training stopped early
 * @param stopReason         why training stopped
 */
public record TrainedBpe(TokenizerArchitecture architecture, List<String> vocabulary, List<BpeMerge> merges,
                         int requestedVocabSize, BpeStopReason stopReason) {

    public TrainedBpe {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(stopReason, "stopReason");
        vocabulary = List.copyOf(vocabulary);
        merges = List.copyOf(merges);
    }

    public int vocabSize() {
        return vocabulary.size();
    }

    /** The Hugging Face {@code tokenizer.json}, as UTF-8 bytes; the same training gives the same bytes. */
    public byte[] toTokenizerJson() {
        return TokenizerJsonWriter.write(this);
    }

    /** Writes {@link #toTokenizerJson()} to {@code file}, creating its parent directories. */
    public void writeTo(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, toTokenizerJson());
    }
}
