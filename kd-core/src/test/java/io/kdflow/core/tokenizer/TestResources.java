package io.kdflow.core.tokenizer;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Paths of test resources under {@code tokenizer/} on the test classpath. */
final class TestResources {

    private TestResources() {
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
