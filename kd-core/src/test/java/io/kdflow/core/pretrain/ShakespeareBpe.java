package io.kdflow.core.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.tokenizer.BpeTrainer;
import io.kdflow.core.tokenizer.HfTokenizer;
import io.kdflow.core.tokenizer.TokenizerArchitecture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The 300 Shakespeare training lines of the test resources and a BART BPE tokenizer trained on them. */
final class ShakespeareBpe {

    static final int VOCAB_SIZE = 1000;
    static final long BOS = 0;
    static final long PAD = 1;
    static final long EOS = 2;
    static final long MASK = VOCAB_SIZE - 1;

    private ShakespeareBpe() {
    }

    /** Sources then targets of the 300 lines: 600 texts. */
    static List<String> texts() {
        List<String> sources = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = ShakespeareBpe.class.getResourceAsStream("/tokenizer/shakespeare-train-300.jsonl")) {
            if (in == null) {
                throw new IllegalStateException("test resource tokenizer/shakespeare-train-300.jsonl is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                JsonNode record = json.readTree(line);
                sources.add(record.get("source").asText());
                targets.add(record.get("target").asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sources.addAll(targets);
        return sources;
    }

    /** Trains the tokenizer on {@link #texts()}, writes it under {@code dir} and loads it. */
    static HfTokenizer tokenizer(Path dir) throws IOException {
        Path file = dir.resolve("shakespeare-bart-bpe/tokenizer.json");
        new BpeTrainer(TokenizerArchitecture.BART, VOCAB_SIZE, 2).train(texts().iterator()).writeTo(file);
        return HfTokenizer.load(file);
    }
}
