package io.kdflow.core.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What kdflow reads from a {@code tokenizer.json} itself, because DJL's tokenizer does not expose it:
 * the token-to-id table (model vocabulary plus added tokens) and which added tokens are special.
 * Reading it first also turns a broken file into an error that names the file and the problem.
 */
final class TokenizerJsonInfo {

    private static final ObjectMapper JSON = new ObjectMapper();

    // Conventional spellings of each special token in BART/RoBERTa, T5, GPT-2 and BERT vocabularies.
    private static final Set<String> PAD_NAMES = Set.of("<pad>", "[PAD]");
    private static final Set<String> BOS_NAMES = Set.of("<s>", "<|endoftext|>", "[CLS]");
    private static final Set<String> EOS_NAMES = Set.of("</s>", "<|endoftext|>", "[SEP]");
    private static final Set<String> UNK_NAMES = Set.of("<unk>", "<|endoftext|>", "[UNK]");

    private final Map<String, Integer> tokenIds;
    private final Map<String, Integer> specialTokenIds;
    private final int vocabSize;

    private TokenizerJsonInfo(Map<String, Integer> tokenIds, Map<String, Integer> specialTokenIds) {
        this.tokenIds = tokenIds;
        this.specialTokenIds = specialTokenIds;
        this.vocabSize = tokenIds.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    }

    /** Reads and checks {@code file}. */
    static TokenizerJsonInfo read(Path file) {
        JsonNode root = parse(file);
        if (!root.isObject()) {
            throw new TokenizerFileException(file, "expected a JSON object at the top level, found " + root.getNodeType());
        }
        JsonNode model = root.get("model");
        if (model == null || !model.isObject()) {
            throw new TokenizerFileException(file, "no \"model\" object: not a Hugging Face tokenizer.json");
        }
        Map<String, Integer> tokenIds = new HashMap<>();
        readVocabulary(file, model.get("vocab"), tokenIds);
        Map<String, Integer> specials = new HashMap<>();
        readAddedTokens(file, root.get("added_tokens"), tokenIds, specials);
        if (tokenIds.isEmpty()) {
            throw new TokenizerFileException(file, "the vocabulary is empty");
        }
        return new TokenizerJsonInfo(tokenIds, specials);
    }

    int vocabSize() {
        return vocabSize;
    }

    OptionalInt idOf(String token) {
        Integer id = tokenIds.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The pad/bos/eos/unk ids found among the special added tokens by their usual names. */
    SpecialTokenIds specialTokenIds() {
        return new SpecialTokenIds(special(PAD_NAMES), special(BOS_NAMES), special(EOS_NAMES), special(UNK_NAMES));
    }

    private OptionalInt special(Set<String> names) {
        return specialTokenIds.entrySet().stream()
                .filter(e -> names.contains(e.getKey()))
                .mapToInt(Map.Entry::getValue)
                .min();
    }

    private static JsonNode parse(Path file) {
        try {
            return JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new TokenizerFileException(file, "file not found", e);
        } catch (JsonProcessingException e) {
            throw new TokenizerFileException(file, "not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        } catch (IOException e) {
            throw new TokenizerFileException(file, "cannot be read: " + e, e);
        }
    }

    private static void readVocabulary(Path file, JsonNode vocab, Map<String, Integer> tokenIds) {
        if (vocab == null || vocab.isNull()) {
            throw new TokenizerFileException(file, "\"model\" has no \"vocab\"");
        }
        if (vocab.isObject()) {
            // BPE, WordPiece, WordLevel: {"token": id, ...}
            for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getValue().canConvertToInt() || entry.getValue().asInt() < 0) {
                    throw new TokenizerFileException(file, "model.vocab[\"" + entry.getKey()
                            + "\"] is not a non-negative integer id: " + entry.getValue());
                }
                tokenIds.put(entry.getKey(), entry.getValue().asInt());
            }
        } else if (vocab.isArray()) {
            // Unigram: [["piece", score], ...], the id is the position.
            for (int id = 0; id < vocab.size(); id++) {
                JsonNode entry = vocab.get(id);
                if (!entry.isArray() || entry.isEmpty() || !entry.get(0).isTextual()) {
                    throw new TokenizerFileException(file, "model.vocab[" + id + "] is not a [piece, score] pair");
                }
                tokenIds.put(entry.get(0).asText(), id);
            }
        } else {
            throw new TokenizerFileException(file, "model.vocab is neither an object nor an array");
        }
    }

    private static void readAddedTokens(Path file, JsonNode added, Map<String, Integer> tokenIds,
                                        Map<String, Integer> specials) {
        if (added == null || added.isNull()) {
            return;
        }
        if (!added.isArray()) {
            throw new TokenizerFileException(file, "\"added_tokens\" is not an array");
        }
        for (int i = 0; i < added.size(); i++) {
            JsonNode token = added.get(i);
            JsonNode id = token.get("id");
            JsonNode content = token.get("content");
            if (id == null || !id.canConvertToInt() || id.asInt() < 0 || content == null || !content.isTextual()) {
                throw new TokenizerFileException(file, "added_tokens[" + i + "] needs an integer \"id\" and a string \"content\"");
            }
            tokenIds.put(content.asText(), id.asInt());
            if (token.path("special").asBoolean(false)) {
                specials.put(content.asText(), id.asInt());
            }
        }
    }
}
