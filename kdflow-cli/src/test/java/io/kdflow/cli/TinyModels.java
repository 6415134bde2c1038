package io.kdflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** kd-core's hf-tiny golden models (on the test classpath, see pom.xml) as model directories. */
final class TinyModels {

    static final String BART = "bart-tiny";
    static final String T5 = "t5-tiny";
    static final String GPT2 = "gpt2-tiny";

    private static final List<String> FILES = List.of("config.json", "generation_config.json", "model.safetensors",
            "reference.safetensors", "tokenizer.json");

    private TinyModels() {}

    static Path copy(String name, Path parent) {
        Path target = parent.resolve(name);
        try {
            Files.createDirectories(target);
            for (String file : FILES) {
                try (InputStream in = open("hf-tiny/" + name + "/" + file)) {
                    Files.copy(in, target.resolve(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** meta.json's entry for one model. */
    static JsonNode meta(String name) {
        try (InputStream in = open("hf-tiny/meta.json")) {
            return new ObjectMapper().readTree(in).get("models").get(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = TinyModels.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("test resource not on the classpath: " + resource);
        }
        return in;
    }
}
