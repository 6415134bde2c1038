package io.kdflow.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.testing.HfTiny;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Corrupted inputs may only ever produce a {@link SafetensorsFormatException} (or open cleanly when
 * the damage is in tensor bytes): no other exception, no out-of-memory, no crash.
 */
class SafetensorsFuzzTest {

    /** A small valid file with a few dtypes and metadata (GPT-2's reference tensors are 31 kB). */
    private static final byte[] VALID = HfTiny.bytes(HfTiny.GPT2, "reference.safetensors");

    private final Path dir = createTempDir();

    @Property(tries = 300)
    void truncatedFilesAreRejectedCleanly(@ForAll @IntRange(min = 0, max = 31_000) int length) throws IOException {
        int cut = Math.min(length, VALID.length - 1);
        assertOnlyFormatErrors(Arrays.copyOf(VALID, cut), true);
    }

    @Property(tries = 400)
    void bitFlipsAnywhereGiveOnlyFormatErrors(@ForAll("flips") int[] positions) throws IOException {
        byte[] damaged = VALID.clone();
        for (int bit : positions) {
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        assertOnlyFormatErrors(damaged, false);
    }

    @Property(tries = 400)
    void bitFlipsInTheHeaderGiveOnlyFormatErrors(@ForAll("headerFlips") int[] positions) throws IOException {
        byte[] damaged = VALID.clone();
        for (int bit : positions) {
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        assertOnlyFormatErrors(damaged, false);
    }

    @Property(tries = 300)
    void randomHeadersGiveOnlyFormatErrors(@ForAll("headers") String header,
            @ForAll @Size(max = 64) byte[] data) throws IOException {
        assertOnlyFormatErrors(CorruptSafetensors.bytes(header, data), false);
    }

    @Property(tries = 200)
    void randomBytesGiveOnlyFormatErrors(@ForAll @Size(max = 200) byte[] content) throws IOException {
        assertOnlyFormatErrors(content, false);
    }

    @Provide
    Arbitrary<int[]> flips() {
        return Arbitraries.integers().between(0, VALID.length * 8 - 1).array(int[].class).ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<int[]> headerFlips() {
        // The GPT-2 reference header is 416 bytes long after the 8-byte prefix.
        return Arbitraries.integers().between(0, (8 + 416) * 8 - 1).array(int[].class).ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> dtype = Arbitraries.of("F32", "F16", "BF16", "I64", "U8", "BOOL", "F8", "", "f32");
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.longs().between(-3, 70).map(String::valueOf),
                Arbitraries.of("1e3", "2.5", "99999999999999999999", "-0", "null", "\"7\""));
        Arbitrary<String> shape = number.list().ofMaxSize(3).map(dims -> "[" + String.join(",", dims) + "]");
        Arbitrary<String> entry = Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(3), dtype, shape,
                number, number).as((name, type, dims, begin, end) -> "\"" + name + "\":{\"dtype\":\"" + type
                        + "\",\"shape\":" + dims + ",\"data_offsets\":[" + begin + "," + end + "]}");
        Arbitrary<String> metadata = Arbitraries.of("", "\"__metadata__\":{\"format\":\"pt\"},",
                "\"__metadata__\":{\"format\":3},", "\"__metadata__\":null,");
        return Combinators.combine(metadata, entry.list().ofMaxSize(4), Arbitraries.of("", "}", " ", "\u0000", "]"))
                .as((meta, entries, tail) -> "{" + meta + String.join(",", entries) + "}" + tail);
    }

    private void assertOnlyFormatErrors(byte[] content, boolean mustFail) throws IOException {
        Path path = dir.resolve("fuzz.safetensors");
        Files.write(path, content);
        try {
            CorruptSafetensors.openAndReadAll(path);
            assertThat(mustFail).as("a truncated file must be rejected").isFalse();
        } catch (SafetensorsFormatException expected) {
            assertThat(expected).hasMessageStartingWith(path.toString());
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("safetensors-fuzz");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterProperty
    void cleanUp() throws IOException {
        Files.deleteIfExists(dir.resolve("fuzz.safetensors"));
        Files.deleteIfExists(dir);
    }
}
