package io.kdflow.core.wire;

import com.google.protobuf.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Reads the committed golden fixtures {@code wire/v1/<name>.bin|.txtpb} from the test classpath. */
final class GoldenFixtures {

    static final String DIRECTORY = "wire/v1/";

    private GoldenFixtures() {
    }

    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    /** The committed bytes of fixture {@code name} (a fresh copy: callers may mutate it). */
    static byte[] bytes(String name) {
        return CACHE.computeIfAbsent(name, n -> resource(n + ".bin")).clone();
    }

    static String text(String name) {
        return new String(resource(name + ".txtpb"), StandardCharsets.UTF_8);
    }

    /** The committed bytes of {@code name} decoded with its record type's codec. */
    static <T extends Message> T decode(String name, Class<T> recordClass) {
        return Wire.codecFor(recordClass).decode(bytes(name));
    }

    private static byte[] resource(String file) {
        try (InputStream in = GoldenFixtures.class.getResourceAsStream("/" + DIRECTORY + file)) {
            if (in == null) {
                throw new IllegalStateException(DIRECTORY + file + " is not on the test classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
