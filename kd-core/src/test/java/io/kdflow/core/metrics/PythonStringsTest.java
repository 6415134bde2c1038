package io.kdflow.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PythonStringsTest {

    @Test
    void shouldAgreeWithPythonIsspaceOnTheCodePointsWhereJavaDiffers() {
        // Python: '\xa0\u2007\u202f\x85\x1c'.isspace() is True; '\u200b\ufeff\u180e'.isspace() is False.
        for (int cp : new int[] {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1F, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2007,
            0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000}) {
            assertThat(PythonStrings.isSpace(cp)).as("U+%04X", cp).isTrue();
        }
        for (int cp : new int[] {0x00, 0x08, 0x0E, 0x1B, 0x21, 0x84, 0x180E, 0x200B, 0xFEFF, 0x1F600}) {
            assertThat(PythonStrings.isSpace(cp)).as("U+%04X", cp).isFalse();
        }
    }

    @Test
    void shouldSplitStripAndRemoveLikePython() {
        assertThat(PythonStrings.split("  a\u00A0 b\n")).containsExactly("a", "b");
        assertThat(PythonStrings.rstrip("a b \u3000\n")).isEqualTo("a b");
        assertThat(PythonStrings.removeSpaces(" a b\u202Fc ")).isEqualTo("abc");
        assertThat(PythonStrings.isBlank(" \u00A0\t")).isTrue();
        assertThat(PythonStrings.isBlank(" x ")).isFalse();
    }
}
