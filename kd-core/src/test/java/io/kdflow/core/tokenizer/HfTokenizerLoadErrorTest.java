package io.kdflow.core.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Broken or missing tokenizer files fail with a message that names the file and the problem. */
class HfTokenizerLoadErrorTest {

    @TempDir
    Path dir;

    @Test
    void shouldNameTheMissingFile() {
        Path missing = dir.resolve("nowhere/tokenizer.json");
        assertThatThrownBy(() -> HfTokenizer.load(missing))
                .isInstanceOf(TokenizerFileException.class)
                .hasMessage(missing + ": file not found");
    }

    @Test
    void shouldLookForTokenizerJsonInsideADirectory() {
        assertThatThrownBy(() -> HfTokenizer.load(dir))
                .isInstanceOf(TokenizerFileException.class)
                .hasMessage(dir.resolve("tokenizer.json") + ": file not found");
    }

    @Test
    void shouldLoadFromAModelDirectory() {
        try (HfTokenizer tokenizer = HfTokenizer.load(TestResources.path("t5-tiny"))) {
            assertThat(tokenizer.file().getFileName()).hasToString("tokenizer.json");
            assertThat(tokenizer.encode("")).containsExactly(1);
        }
    }

    @Test
    void shouldReportWhereATruncatedFileStopsBeingJson() throws IOException {
        String whole = Files.readString(TestResources.path("bart-tiny/tokenizer.json"));
        Path file = write(whole.substring(0, whole.length() / 2));
        assertThatThrownBy(() -> HfTokenizer.load(file))
                .isInstanceOf(TokenizerFileException.class)
                .hasMessageStartingWith(file + ": not valid JSON: ")
                .hasMessageContaining("at line ");
    }

    @Test
    void shouldRejectJsonThatIsNotATokenizer() throws IOException {
        Path file = write("{\"vocab_size\": 600}");
        assertThatThrownBy(() -> HfTokenizer.load(file))
                .isInstanceOf(TokenizerFileException.class)
                .hasMessage(file + ": no \"model\" object: not a Hugging Face tokenizer.json");
    }

    @Test
    void shouldRejectAVocabularyWithoutIntegerIds() throws IOException {
        Path file = write("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": \"zero\"}, \"merges\": []}}");
        assertThatThrownBy(() -> HfTokenizer.load(file))
                .isInstanceOf(TokenizerFileException.class)
                .hasMessage(file + ": model.vocab[\"a\"] is not a non-negative integer id: \"zero\"");
    }

    @Test
    void shouldPassOnWhatTheNativeLibraryRejects() throws IOException {
        // Valid JSON with a vocabulary, but a model type the Rust library does not know.
        Path file = write("{\"model\": {\"type\": \"NoSuchModel\", \"vocab\": {\"a\": 0}}}");
        assertThatThrownBy(() -> HfTokenizer.load(file))
                .isInstanceOf(TokenizerFileException.class)
                .hasMessageStartingWith(file + ": the Hugging Face tokenizers library rejected it: ");
    }

    @Test
    void shouldRejectAConfigSpecialTokenIdOutsideTheVocabulary() {
        Path file = TestResources.path("gpt2-tiny/tokenizer.json");
        assertThatThrownBy(() -> HfTokenizer.load(file, SpecialTokenIds.none().withPad(600)))
                .isInstanceOf(TokenizerFileException.class)
                .hasMessage(file + ": pad token id 600 is outside the vocabulary [0, 600)");
    }

    private Path write(String content) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
