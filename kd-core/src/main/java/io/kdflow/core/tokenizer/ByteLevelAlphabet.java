package io.kdflow.core.tokenizer;

/**
 * The byte-to-character table of GPT-2 style byte-level BPE: every one of the 256 byte values gets a
 * printable, non-whitespace character, so any UTF-8 text becomes a string over 256 symbols and back
 * without loss. Printable Latin-1 bytes map to themselves; the others (controls, space, DEL, NBSP,
 * soft hyphen) map to U+0100 onwards in byte order, so space becomes 'Ġ' and newline 'Ċ'.
 */
public final class ByteLevelAlphabet {

    /** Number of symbols: one per byte value. */
    public static final int SIZE = 256;

    private static final char[] BYTE_TO_CHAR = buildTable();

    private ByteLevelAlphabet() {
    }

    /** The character that stands for byte {@code b} (0..255). */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** Maps each of the (UTF-8) bytes to its byte-level character. */
    public static String encode(byte[] utf8) {
        char[] out = new char[utf8.length];
        for (int i = 0; i < utf8.length; i++) {
            out[i] = BYTE_TO_CHAR[utf8[i] & 0xFF];
        }
        return new String(out);
    }

    /** All 256 symbols, in byte order. */
    public static char[] symbols() {
        return BYTE_TO_CHAR.clone();
    }

    private static char[] buildTable() {
        char[] table = new char[SIZE];
        int next = SIZE;
        for (int b = 0; b < SIZE; b++) {
            table[b] = keepsItsOwnCharacter(b) ? (char) b : (char) next++;
        }
        return table;
    }

    private static boolean keepsItsOwnCharacter(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }
}
