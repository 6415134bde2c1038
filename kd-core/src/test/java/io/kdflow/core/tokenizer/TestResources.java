package io.kdflow.core.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of test resources under {@code tokenizer/} on the test classpath. */
final class TestResources {

    private TestResources() {
    }

    /**
     * Creates {@code java.io.tmpdir}: the parent POM points it at {@code target/tmp}, which nothing
     * else creates, and {@code @TempDir} fails without it.
     */
    static void ensureTmpDirExists() {
        try {
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path path(String name) {
        URL url = TestResources.class.getResource("/tokenizer/" + name);
        if (url == null) {
            throw new IllegalStateException("test resource tokenizer/" + name + " is missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
