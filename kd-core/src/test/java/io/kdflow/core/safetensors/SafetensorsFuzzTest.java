package io.kdflow.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.testing.SeededTries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupted inputs may only ever produce a {@link SafetensorsFormatException} (or open cleanly when
 * the damage is in tensor bytes): no other exception, no out-of-memory, no crash. Seeded tries, so a
 * failure names the seed that reproduces it.
 */
class SafetensorsFuzzTest {

    /** A small valid file with a few dtypes and metadata (GPT-2's reference tensors are 31 kB). */
    private static final byte[] VALID = HfTiny.bytes(HfTiny.GPT2, "reference.safetensors");
    /** The GPT-2 reference header is 416 bytes long after the 8-byte length prefix. */
    private static final int HEADER_END = 8 + 416;

    private static final String[] DTYPES = {"F32", "F16", "BF16", "I64", "U8", "BOOL", "F8", "", "f32"};
    private static final String[] ODD_NUMBERS = {"1e3", "2.5", "99999999999999999999", "-0", "null", "\"7\""};
    private static final String[] METADATA = {"", "\"__metadata__\":{\"format\":\"pt\"},",
        "\"__metadata__\":{\"format\":3},", "\"__metadata__\":null,"};
    private static final String[] TAILS = {"", "}", " ", "\u0000", "]"};

    @TempDir
    Path dir;

    @Test
    void truncatedFilesAreRejectedCleanly() {
        SeededTries.run(1, 300, random ->
                assertOnlyFormatErrors(Arrays.copyOf(VALID, random.nextInt(VALID.length)), true));
    }

    @Test
    void bitFlipsAnywhereGiveOnlyFormatErrors() {
        SeededTries.run(2, 400, random -> assertOnlyFormatErrors(flipBits(random, VALID.length * 8, 4), false));
    }

    @Test
    void bitFlipsInTheHeaderGiveOnlyFormatErrors() {
        SeededTries.run(3, 400, random -> assertOnlyFormatErrors(flipBits(random, HEADER_END * 8, 3), false));
    }

    @Test
    void randomHeadersGiveOnlyFormatErrors() {
        SeededTries.run(4, 300, random ->
                assertOnlyFormatErrors(CorruptSafetensors.bytes(randomHeader(random), SeededTries.bytes(random, 64)), false));
    }

    @Test
    void randomBytesGiveOnlyFormatErrors() {
        SeededTries.run(5, 200, random -> assertOnlyFormatErrors(SeededTries.bytes(random, 200), false));
    }

    private static byte[] flipBits(Random random, int bitRange, int maxFlips) {
        byte[] damaged = VALID.clone();
        for (int flips = 1 + random.nextInt(maxFlips); flips > 0; flips--) {
            int bit = random.nextInt(bitRange);
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        return damaged;
    }

    /** A JSON-ish header: plausible entries with odd dtypes, shapes and offsets, and odd endings. */
    private static String randomHeader(Random random) {
        List<String> entries = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            List<String> dims = new ArrayList<>();
            for (int d = random.nextInt(4); d > 0; d--) {
                dims.add(number(random));
            }
            entries.add("\"" + name(random) + "\":{\"dtype\":\"" + DTYPES[random.nextInt(DTYPES.length)]
                    + "\",\"shape\":[" + String.join(",", dims) + "],\"data_offsets\":[" + number(random) + ","
                    + number(random) + "]}");
        }
        return "{" + METADATA[random.nextInt(METADATA.length)] + String.join(",", entries) + "}"
                + TAILS[random.nextInt(TAILS.length)];
    }

    private static String number(Random random) {
        return random.nextInt(4) == 0 ? ODD_NUMBERS[random.nextInt(ODD_NUMBERS.length)]
                : Long.toString(random.nextInt(74) - 3);
    }

    private static String name(Random random) {
        StringBuilder name = new StringBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
            name.append((char) ('a' + random.nextInt(26)));
        }
        return name.toString();
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
}
