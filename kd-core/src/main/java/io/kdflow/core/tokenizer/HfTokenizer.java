package io.kdflow.core.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import io.kdflow.core.error.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A Hugging Face {@code tokenizer.json} run by DJL's binding of the Rust {@code tokenizers} library,
 * offline. Encoding and decoding may run on several threads at once: the native tokenizer is not
 * changed after loading (truncation is done here, not by reconfiguring it).
 */
public final class HfTokenizer implements TextTokenizer {

    // Explicit so that a tokenizer_config.json or DJL defaults cannot silently truncate or pad.
    private static final Map<String, String> DJL_OPTIONS =
            Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false");

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final TokenizerJsonInfo info;
    private final SpecialTokenIds specialTokenIds;
    private final TemplateAffixes template;

    private HfTokenizer(Path file, HuggingFaceTokenizer tokenizer, TokenizerJsonInfo info,
                        SpecialTokenIds specialTokenIds, TemplateAffixes template) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.info = info;
        this.specialTokenIds = specialTokenIds;
        this.template = template;
    }

    /** Loads {@code path}: a {@code tokenizer.json} file or a model directory that holds one. */
    public static HfTokenizer load(Path path) {
        return load(path, SpecialTokenIds.none());
    }

    /**
     * Loads {@code path} and takes the special token ids that {@code configOverrides} defines (from the
     * model's {@code config.json}) over those found in the tokenizer's added tokens.
     */
    public static HfTokenizer load(Path path, SpecialTokenIds configOverrides) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        TokenizerJsonInfo info = TokenizerJsonInfo.read(file);
        SpecialTokenIds ids = info.specialTokenIds().overriddenBy(configOverrides);
        checkInVocabulary(file, ids, info.vocabSize());
        HuggingFaceTokenizer djlTokenizer = openNative(file);
        try {
            return new HfTokenizer(file, djlTokenizer, info, ids, TemplateAffixes.probe(file, djlTokenizer));
        } catch (RuntimeException e) {
            djlTokenizer.close();
            throw e;
        }
    }

    @Override
    public long[] encode(String text) {
        return tokenizer.encode(text, true, false).getIds();
    }

    @Override
    public long[] encodeWithoutSpecialTokens(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    @Override
    public long[][] batchEncode(List<String> texts, int maxLength) {
        int room = maxLength - template.size();
        if (room < 0) {
            throw new BadInputException("maxLength " + maxLength + " cannot hold the " + template.size()
                    + " special tokens of the template of " + file);
        }
        Encoding[] encodings = tokenizer.batchEncode(texts.toArray(String[]::new), false, false);
        long[][] rows = new long[encodings.length][];
        for (int i = 0; i < encodings.length; i++) {
            long[] plain = encodings[i].getIds();
            rows[i] = template.wrap(plain.length > room ? Arrays.copyOf(plain, room) : plain);
        }
        return rows;
    }

    @Override
    public String decode(long[] ids, boolean skipSpecialTokens) {
        for (long id : ids) {
            if (id < 0 || id >= vocabSize()) {
                throw new BadInputException("token id " + id + " is outside the vocabulary [0, "
                        + vocabSize() + ") of " + file);
            }
        }
        return tokenizer.decode(ids, skipSpecialTokens);
    }

    @Override
    public int vocabSize() {
        return info.vocabSize();
    }

    @Override
    public SpecialTokenIds specialTokenIds() {
        return specialTokenIds;
    }

    @Override
    public OptionalInt tokenToId(String token) {
        return info.idOf(Objects.requireNonNull(token, "token"));
    }

    /** The file this tokenizer was loaded from. */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private static HuggingFaceTokenizer openNative(Path file) {
        try {
            return HuggingFaceTokenizer.newInstance(file, DJL_OPTIONS);
        } catch (IOException | RuntimeException e) {
            throw new TokenizerFileException(file, "the Hugging Face tokenizers library rejected it: " + e.getMessage(), e);
        }
    }

    private static void checkInVocabulary(Path file, SpecialTokenIds ids, int vocabSize) {
        checkInVocabulary(file, "pad", ids.pad(), vocabSize);
        checkInVocabulary(file, "bos", ids.bos(), vocabSize);
        checkInVocabulary(file, "eos", ids.eos(), vocabSize);
        checkInVocabulary(file, "unk", ids.unk(), vocabSize);
    }

    private static void checkInVocabulary(Path file, String name, OptionalInt id, int vocabSize) {
        if (id.isPresent() && (id.getAsInt() < 0 || id.getAsInt() >= vocabSize)) {
            throw new TokenizerFileException(file, name + " token id " + id.getAsInt()
                    + " is outside the vocabulary [0, " + vocabSize + ")");
        }
    }
}
