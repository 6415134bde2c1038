package io.kdflow.cli.options;

import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.config.ModelConfig;

/**
 * The rule of {@code --max-source-tokens} and {@code --max-target-tokens}: cut encoded ids to the limit keeping their
 * final (end-of-sequence) token, then refuse ids longer than an encoder-decoder's learned positions with a message
 * naming the example and the option.
 *
 * @param option  the option's name, e.g. {@code --max-source-tokens}
 * @param what    what is cut, e.g. {@code source}
 * @param minimum       the smallest limit allowed
 * @param minimumReason why, appended to the refusal (may be empty)
 */
record TokenLimit(String option, String what, int minimum, String minimumReason) {

    long[] apply(Integer limit, long[] ids, String id, ModelConfig config) {
        if (limit != null) {
            if (limit < minimum) {
                throw new BadInputException(option + ": " + limit + " is not allowed (at least " + minimum
                        + minimumReason + ")");
            }
            ids = TextEncoding.truncateKeepingEnd(ids, limit);
        }
        int positions = config.maxPositions();
        if (config.encoderDecoder() && positions > 0 && ids.length > positions) {
            throw new BadInputException("example " + id + ": the " + what + " has " + ids.length
                    + " tokens but the model supports at most " + positions + " positions; cut it with " + option
                    + " " + positions);
        }
        return ids;
    }
}
