package io.kdflow.core.safetensors;

import static io.kdflow.core.safetensors.CorruptSafetensors.bytes;
import static io.kdflow.core.safetensors.CorruptSafetensors.openAndReadAll;
import static io.kdflow.core.safetensors.CorruptSafetensors.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafetensorsValidationTest {

    private static final String A = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
    private static final String B = "\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[8,16]}";

    @TempDir
    Path temp;

    static Stream<Arguments> brokenHeaders() {
        return Stream.of(
                Arguments.of("not json", "{\"a\":", 16, "not valid JSON"),
                Arguments.of("array root", "[1,2]", 0, "not a JSON object"),
                Arguments.of("trailing tokens", "{" + A + "} {}", 8, "not valid JSON"),
                Arguments.of("duplicate key", "{" + A + "," + A + "}", 8, "not valid JSON"),
                Arguments.of("unknown dtype", "{\"a\":{\"dtype\":\"F8\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8,
                        "tensor 'a': unknown dtype 'F8'"),
                Arguments.of("missing dtype", "{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "tensor 'a': missing"),
                Arguments.of("negative dim", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8,
                        "tensor 'a': shape[0]"),
                Arguments.of("fractional offset", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8.0]}}",
                        8, "tensor 'a': data_offsets end"),
                Arguments.of("three offsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", 8,
                        "tensor 'a': 'data_offsets' must be"),
                Arguments.of("begin after end", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8,
                        "tensor 'a': data_offsets begin 8 > end 0"),
                Arguments.of("size mismatch", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8,
                        "tensor 'a': data_offsets [0, 8] hold 8 bytes but shape and dtype need 12"),
                Arguments.of("shape overflow",
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", 8,
                        "tensor 'a': shape overflows"),
                Arguments.of("huge offset", "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],"
                        + "\"data_offsets\":[99999999999999999999,100000000000000000000]}}", 8, "tensor 'a': data_offsets"),
                Arguments.of("past data section", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8,
                        "tensor 'a': data_offsets end 16 lies past the 8-byte data section"),
                Arguments.of("overlap", "{" + A + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8,
                        "overlaps"),
                Arguments.of("hole", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8,
                        "tensor 'a': hole in the data section: bytes [0, 4)"),
                Arguments.of("uncovered tail", "{" + A + "}", 12, "data section is 12 bytes but the tensors cover 8"),
                Arguments.of("metadata not strings", "{\"__metadata__\":{\"format\":1}," + A + "}", 8,
                        "__metadata__ value for 'format' is not a string"),
                Arguments.of("metadata not object", "{\"__metadata__\":[]," + A + "}", 8, "__metadata__ must be"),
                Arguments.of("entry not object", "{\"a\":5}", 0, "tensor 'a': entry is not a JSON object"),
                Arguments.of("empty name", "{\"\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}}", 0,
                        "empty tensor name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenHeaders")
    void shouldRejectBrokenHeaderNamingFileTensorAndProblem(String caseName, String header, int dataBytes,
            String expectedMessage) {
        Path path = write(temp, "broken.safetensors", bytes(header, new byte[dataBytes]));

        assertThatThrownBy(() -> openAndReadAll(path))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(path.toString())
                .hasMessageContaining(expectedMessage);
    }

    @Test
    void shouldRejectFileShorterThanTheLengthPrefix() {
        Path path = write(temp, "tiny.safetensors", new byte[] {1, 2, 3});

        assertThatThrownBy(() -> SafetensorsFile.open(path))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("shorter than the 8-byte header length");
    }

    @Test
    void shouldRejectHeaderLengthBeyondLimitWithoutAllocatingIt() {
        byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
        Path path = write(temp, "huge.safetensors", bytes(Long.MAX_VALUE, json, new byte[0]));
        Path negative = write(temp, "negative.safetensors", bytes(-1L, json, new byte[0]));

        assertThatThrownBy(() -> SafetensorsFile.open(path))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("exceeds the limit of 100000000 bytes");
        assertThatThrownBy(() -> SafetensorsFile.open(negative))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("header length");
    }

    @Test
    void shouldRejectHeaderLengthRunningPastTheFile() {
        byte[] json = ("{" + A + "}").getBytes(StandardCharsets.UTF_8);
        Path path = write(temp, "short.safetensors", bytes(json.length + 100, json, new byte[8]));

        assertThatThrownBy(() -> SafetensorsFile.open(path))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("runs past the end of the");
    }

    @Test
    void shouldAcceptSpacePaddedHeaderAndReadInOffsetOrder() throws IOException {
        Path path = write(temp, "ok.safetensors", bytes("{" + B + "," + A + "}   ", new byte[16]));

        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(file.names()).containsExactly("a", "b");
            assertThat(file.metadata()).isEmpty();
            assertThat(file.entry("b").begin()).isEqualTo(8);
        }
    }

    @Test
    void shouldAcceptZeroSizedTensorsSharingAnOffset() throws IOException {
        String empty = "\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[8,8]}";
        Path path = write(temp, "empty.safetensors", bytes("{" + A + "," + empty + "," + B + "}", new byte[16]));

        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(file.read("e").remaining()).isZero();
            assertThat(file.entry("e").elementCount()).isZero();
        }
    }
}
