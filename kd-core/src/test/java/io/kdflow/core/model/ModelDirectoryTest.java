package io.kdflow.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.config.BartConfig;
import io.kdflow.core.model.config.Gpt2Config;
import io.kdflow.core.model.config.T5Config;
import io.kdflow.core.tokenizer.TokenizerFileException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one loader of a model directory, on the three hf-tiny fixtures and on broken copies of one. */
class ModelDirectoryTest {

    @TempDir
    Path temp;

    @Test
    void shouldLoadAnEncoderDecoderBartWithItsGenerationConfigAndTokenizer() throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory bart = ModelDirectory.load(fixture("bart-tiny"), manager)) {
            assertThat(bart.model()).isInstanceOf(Seq2SeqModel.class);
            assertThat(bart.model().config()).isInstanceOf(BartConfig.class);
            assertThat(bart.seq2seq()).isSameAs(bart.model());
            assertThat(bart.generationConfig().decoderStartTokenId()).isEqualTo(2);
            assertThat(bart.generationConfig().eosTokenIds()).containsExactly(2);
            assertThat(bart.generationConfig().padTokenId()).isEqualTo(1);
            assertThat(bart.tokenizer().vocabSize()).isEqualTo(600);
            assertThat(bart.tokenizer().specialTokenIds().pad()).hasValue(1);
            // BART's template: <s> text </s>; the target starts with the decoder start token and ends with EOS
            long[] source = bart.textEncoding().source("the work");
            assertThat(source[0]).isEqualTo(0);
            assertThat(source[source.length - 1]).isEqualTo(2);
            assertThat(bart.path()).isEqualTo(fixture("bart-tiny"));
        }
    }

    @Test
    void shouldLoadAnEncoderDecoderT5() throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory t5 = ModelDirectory.load(fixture("t5-tiny"), manager)) {
            assertThat(t5.model().config()).isInstanceOf(T5Config.class);
            assertThat(t5.seq2seq().config().encoderDecoder()).isTrue();
            assertThat(t5.generationConfig().decoderStartTokenId()).isEqualTo(0);
            assertThat(t5.generationConfig().eosTokenIds()).containsExactly(1);
            assertThat(t5.tokenizer().vocabSize()).isEqualTo(600);
            long[] source = t5.textEncoding().source("the work");
            assertThat(source[source.length - 1]).as("T5 appends </s>").isEqualTo(1);
        }
    }

    @Test
    void shouldLoadADecoderOnlyGpt2AndRefuseItWhereAnEncoderDecoderIsNeeded() throws Exception {
        Path gpt2 = fixture("gpt2-tiny");
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory directory = ModelDirectory.load(gpt2, manager)) {
            assertThat(directory.model()).isInstanceOf(CausalLm.class);
            assertThat(directory.model().config()).isInstanceOf(Gpt2Config.class);
            assertThat(directory.generationConfig().bosTokenId()).isEqualTo(0);
            assertThat(directory.generationConfig().eosTokenIds()).containsExactly(0);
            assertThat(directory.tokenizer().vocabSize()).isEqualTo(600);
            assertThatThrownBy(directory::seq2seq).isInstanceOf(BadInputException.class)
                    .hasMessage(gpt2 + " holds a decoder-only gpt2 model; an encoder-decoder (bart, t5) is needed here");
        }
    }

    @Test
    void shouldLoadWithoutTheTokenizerWhenAskedAndSayWhenItIsWanted() throws Exception {
        Path copy = copy("bart-tiny");
        Files.delete(copy.resolve("tokenizer.json"));
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory directory = ModelDirectory.loadWithoutTokenizer(copy, manager)) {
            assertThat(directory.model().config().modelType()).isEqualTo("bart");
            assertThatThrownBy(directory::tokenizer).isInstanceOf(IllegalStateException.class)
                    .hasMessage(copy + " was loaded without its tokenizer");
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> ModelDirectory.load(copy, manager)).isInstanceOf(TokenizerFileException.class)
                    .hasMessageStartingWith(copy.resolve("tokenizer.json").toString());
        }
    }

    @Test
    void shouldNameTheMissingDirectoryOrFile() throws Exception {
        Path missing = temp.resolve("none");
        Path noConfig = copy("t5-tiny");
        Files.delete(noConfig.resolve("config.json"));
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> ModelDirectory.load(missing, manager)).isInstanceOf(BadInputException.class)
                    .hasMessage(missing + ": no such model directory");
            assertThatThrownBy(() -> ModelDirectory.load(noConfig, manager)).isInstanceOf(BadInputException.class)
                    .hasMessage(noConfig.resolve("config.json") + ": no such file");
        }
    }

    @Test
    void shouldNameTheMalformedFileInOneLine() throws Exception {
        Path badConfig = copy("bart-tiny");
        Files.writeString(badConfig.resolve("config.json"), "{\"model_type\": \"bart\", ");
        Path badGeneration = copy("gpt2-tiny");
        Files.writeString(badGeneration.resolve("generation_config.json"), "[1, 2]");
        Path badWeights = copy("t5-tiny");
        Files.write(badWeights.resolve("model.safetensors"), new byte[] {1, 2, 3});
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Path file : List.of(badConfig.resolve("config.json"),
                    badGeneration.resolve("generation_config.json"), badWeights.resolve("model.safetensors"))) {
                assertThatThrownBy(() -> ModelDirectory.load(file.getParent(), manager))
                        .isInstanceOf(BadInputException.class)
                        .hasMessageStartingWith(file.toString())
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            }
        }
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(ModelDirectoryTest.class.getResource("/hf-tiny/" + name).toURI());
    }

    private Path copy(String name) throws IOException, URISyntaxException {
        Path target = Files.createDirectories(temp.resolve(name));
        try (Stream<Path> files = Files.list(fixture(name))) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return target;
    }
}
