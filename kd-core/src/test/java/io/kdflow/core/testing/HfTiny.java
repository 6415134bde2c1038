package io.kdflow.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The golden hf-tiny fixtures on the test classpath, copied to a directory when a Path is needed. */
public final class HfTiny {

    public static final String BART = "bart-tiny";
    public static final String T5 = "t5-tiny";
    public static final String GPT2 = "gpt2-tiny";

    private static final List<String> FILES = List.of("config.json", "generation_config.json",
            "model.safetensors", "reference.safetensors", "tokenizer.json");

    private HfTiny() {}

    /** Copies one fixture model directory into {@code parent/name} and returns that directory. */
    public static Path copyModel(String name, Path parent) {
        Path target = parent.resolve(name);
        try {
            Files.createDirectories(target);
            for (String file : FILES) {
                copyResource("hf-tiny/" + name + "/" + file, target.resolve(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** The bytes of one fixture file. */
    public static byte[] bytes(String model, String file) {
        try (InputStream in = open("hf-tiny/" + model + "/" + file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyResource(String resource, Path target) throws IOException {
        try (InputStream in = open(resource)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = HfTiny.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("test resource not on the classpath: " + resource);
        }
        return in;
    }
}
