package io.kdflow.core.eval;

import java.util.Optional;

/**
 * What a source or target text of an example must be, wherever it comes from (a JSON Lines file, a
 * SourceExample record): not blank, and at most {@link #MAX_CHARS} characters. Longer inputs are truncated to the
 * job's {@code max_source_tokens} / {@code max_target_tokens} anyway; a text this long is a broken line (a whole
 * file in one field), not an example, and is rejected before it costs a tokenizer pass.
 */
public final class ExampleTexts {

    /** Most characters of one source or target. */
    public static final int MAX_CHARS = 100_000;

    private ExampleTexts() {
    }

    /** What is wrong with {@code text}, to follow its field name in a message; empty when nothing is. */
    public static Optional<String> problem(String text) {
        if (text.isBlank()) {
            return Optional.of("empty (an example needs a source and, when labeled, a target text)");
        }
        if (text.length() > MAX_CHARS) {
            return Optional.of(text.length() + " characters is too long (at most " + MAX_CHARS + ")");
        }
        return Optional.empty();
    }
}
