package io.kdflow.core.decoding;

import io.kdflow.core.error.BadInputException;
import java.util.Objects;

/**
 * A decoder-only model's prompt template (PAPER-SPEC S1): the task's source put in place of
 * {@value #SOURCE_PLACEHOLDER}; the model continues the prompt with the target. Encoder-decoder models ignore it
 * (their input is the source itself). The template is applied to text, before tokenization, so training, PTs and
 * evaluation see the same prompt ids for one source ({@link TextEncoding#input}).
 *
 * @param template the template, or empty for "the source as is"
 */
public record PromptTemplate(String template) {

    /** What a template must contain. */
    public static final String SOURCE_PLACEHOLDER = "{source}";

    /** No template: the prompt is the source. */
    public static final PromptTemplate NONE = new PromptTemplate("");

    public PromptTemplate {
        Objects.requireNonNull(template, "template");
        if (!template.isEmpty() && !template.contains(SOURCE_PLACEHOLDER)) {
            throw new BadInputException("prompt template '" + template + "' has no " + SOURCE_PLACEHOLDER
                    + " (the template must place the input)");
        }
    }

    /**
     * The template of a setting named {@code where} (a job field), empty = none.
     *
     * @throws BadInputException naming {@code where} when the template has no {@value #SOURCE_PLACEHOLDER}
     */
    public static PromptTemplate of(String template, String where) {
        try {
            return new PromptTemplate(template);
        } catch (BadInputException e) {
            throw new BadInputException(where + ": " + e.getMessage(), e);
        }
    }

    /** The prompt of one source. */
    public String apply(String source) {
        return template.isEmpty() ? source : template.replace(SOURCE_PLACEHOLDER, source);
    }
}
