package io.kdflow.core.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Writes a trained byte-level BPE as a Hugging Face {@code tokenizer.json}, with the sections in the
 * order and shape that the {@code tokenizers} library itself writes: added tokens, no normalizer, a
 * ByteLevel pre-tokenizer and decoder, a TemplateProcessing post-processor (none for GPT-2), and a
 * BPE model whose vocab is listed by id.
 */
final class TokenizerJsonWriter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    // Laid out like the tokenizers library's pretty output ("key": value, two-space indent), with
    // "\n" line ends whatever the platform, so the bytes are the same everywhere.
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    private TokenizerJsonWriter() {
    }

    static byte[] write(TrainedBpe bpe) {
        ObjectNode root = NODES.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.set("added_tokens", addedTokens(bpe));
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(false));
        root.set("post_processor", postProcessor(bpe));
        root.set("decoder", byteLevel(true));
        root.set("model", model(bpe));
        try {
            // No final newline, like the tokenizers library: a GPT-2 file is then byte for byte its own.
            return JSON.writer(PRETTY).writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a tree of plain JSON nodes", e);
        }
    }

    private static ArrayNode addedTokens(TrainedBpe bpe) {
        TokenizerArchitecture architecture = bpe.architecture();
        ArrayNode added = NODES.arrayNode();
        for (String token : specialTokensInIdOrder(architecture)) {
            ObjectNode node = added.addObject();
            node.put("id", bpe.vocabulary().indexOf(token));
            node.put("content", token);
            node.put("single_word", false);
            node.put("lstrip", architecture.stripsSpaceBefore(token));
            node.put("rstrip", false);
            node.put("normalized", false);
            node.put("special", true);
        }
        return added;
    }

    /** ByteLevel pre-tokenizer and decoder share one shape; HF writes the decoder with add_prefix_space true. */
    private static ObjectNode byteLevel(boolean addPrefixSpace) {
        ObjectNode node = NODES.objectNode();
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", addPrefixSpace);
        node.put("trim_offsets", true);
        node.put("use_regex", true);
        return node;
    }

    private static ObjectNode postProcessor(TrainedBpe bpe) {
        TokenizerArchitecture architecture = bpe.architecture();
        if (architecture.singleTemplate().isEmpty()) {
            return null;
        }
        ObjectNode node = NODES.objectNode();
        node.put("type", "TemplateProcessing");
        node.set("single", template(architecture.singleTemplate()));
        node.set("pair", template(architecture.pairTemplate()));
        ObjectNode specials = node.putObject("special_tokens");
        // Sorted by token, as the tokenizers library writes this map.
        TreeSet<String> used = new TreeSet<>(architecture.singleTemplate());
        used.addAll(architecture.pairTemplate());
        for (String token : used) {
            if (isSequence(token)) {
                continue;
            }
            ObjectNode special = specials.putObject(token);
            special.put("id", token);
            special.putArray("ids").add(bpe.vocabulary().indexOf(token));
            special.putArray("tokens").add(token);
        }
        return node;
    }

    private static ArrayNode template(List<String> pieces) {
        ArrayNode array = NODES.arrayNode();
        for (String piece : pieces) {
            ObjectNode inner = isSequence(piece)
                    ? array.addObject().putObject("Sequence").put("id", piece.substring(1))
                    : array.addObject().putObject("SpecialToken").put("id", piece);
            inner.put("type_id", 0);
        }
        return array;
    }

    private static ObjectNode model(TrainedBpe bpe) {
        ObjectNode model = NODES.objectNode();
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        List<String> tokens = bpe.vocabulary();
        for (int id = 0; id < tokens.size(); id++) {
            vocab.put(tokens.get(id), id);
        }
        ArrayNode merges = model.putArray("merges");
        for (BpeMerge merge : bpe.merges()) {
            merges.addArray().add(merge.left()).add(merge.right());
        }
        return model;
    }

    private static List<String> specialTokensInIdOrder(TokenizerArchitecture architecture) {
        return Stream.concat(architecture.leadingSpecialTokens().stream(),
                architecture.trailingSpecialTokens().stream()).toList();
    }

    private static boolean isSequence(String piece) {
        return piece.startsWith("$");
    }
}
