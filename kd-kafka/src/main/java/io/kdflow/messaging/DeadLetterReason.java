package io.kdflow.messaging;

import com.google.protobuf.Internal;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.kdflow.core.wire.Wire;
import io.kdflow.core.wire.WireCodec;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.WireFormatException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The short, stable class of why a record was dead-lettered: the {@code reason} tag of
 * {@code kdflow_dead_letters_total{service,topic,reason}}. The dead letter's own {@code reason} field keeps the
 * full one-line message; this only groups them for dashboards and alerts.
 */
public enum DeadLetterReason {
    /** The value is not a protobuf encoding at all (corrupt bytes, a JSON line, no value). */
    MALFORMED,
    /** The value is a valid record of another kdflow.v1 type (e.g. a JobSpec on the examples topic). */
    WRONG_TYPE,
    /** A field breaks the record's contract or a service's rule (empty source, over-long target, bad job value). */
    BAD_VALUE,
    /** The record names a job the service has no JobSpec of. */
    UNKNOWN_JOB,
    /** A file the record names (or its checkpoint's manifest lists) does not exist. */
    MISSING_FILE,
    /** A file the record names differs from its announced sha256 or its manifest entry. */
    TAMPERED_CHECKPOINT,
    /** A path the record names leaves the model store ({@code ..}, an absolute path, a symbolic link). */
    PATH_OUTSIDE_STORE;

    /** "... has no config.json": a named file is absent. */
    private static final Pattern MISSING_NAMED_FILE = Pattern.compile(" has no [\\w.-]+\\.(json|safetensors|bin)\\b");

    /** The tag value, e.g. {@code tampered_checkpoint}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Classifies a failure: an exception that names its own class ({@link Classified}) wins; a wire-contract
     * failure is {@link #WRONG_TYPE} when the bytes decode as another record type, {@link #MALFORMED} when they are
     * no protobuf, else {@link #BAD_VALUE}; other failures are classified by the kd-core messages that state them
     * (model store, checkpoint manifest, job lookups), falling back to {@link #BAD_VALUE}.
     *
     * @param topic the topic the record came from
     * @param value its bytes (may be null)
     */
    public static DeadLetterReason of(String topic, byte[] value, Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof Classified classified && classified.deadLetterReason() != null) {
                return classified.deadLetterReason();
            }
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof WireFormatException) {
                if (otherRecordType(topic, value).isPresent()) {
                    return WRONG_TYPE;
                }
                String message = String.valueOf(cause.getMessage());
                return message.contains("not a valid protobuf encoding") || message.contains("no bytes")
                        ? MALFORMED : BAD_VALUE;
            }
        }
        return ofMessage(DeadLetters.reasonOf(error));
    }

    /** Classifies a reason text (a dead letter built elsewhere, e.g. a job whose run failed). */
    public static DeadLetterReason ofMessage(String message) {
        String text = String.valueOf(message);
        if (text.contains("outside the model store") || text.contains("leaves the model store")
                || text.contains("model store URI must")) {
            return PATH_OUTSIDE_STORE;
        }
        if (text.contains("unknown job") || text.contains("no JobSpec")) {
            return UNKNOWN_JOB;
        }
        if (text.contains("does not match") || text.contains("differs from its manifest")
                || text.contains("differs from the announced")) {
            return TAMPERED_CHECKPOINT;
        }
        if (text.contains(" is missing") || text.contains(" holds no ") || text.contains(" has neither ")
                || text.contains("(no config.json)") || MISSING_NAMED_FILE.matcher(text).find()) {
            return MISSING_FILE;
        }
        return BAD_VALUE;
    }

    /**
     * The kdflow.v1 record type the bytes are a valid record of when they are not the topic's own type, e.g.
     * {@code JobSpec} for a job spec sent to the examples topic: they decode and validate as that type with every
     * field known, while as the topic's type they do not parse or carry fields it does not have. (Protobuf reads
     * unknown fields silently, so a broken record of the topic's own type can happen to validate as a lenient other
     * type; it then has no foreign fields and stays a {@link #BAD_VALUE}.)
     */
    public static Optional<String> otherRecordType(String topic, byte[] value) {
        if (value == null || value.length == 0) {
            return Optional.empty();
        }
        WireCodec<?> own;
        try {
            own = Wire.codecForTopic(topic);
        } catch (IllegalArgumentException e) {
            own = null;
        }
        if (own != null && parsesWithoutForeignFields(own, value)) {
            return Optional.empty();
        }
        for (WireCodec<?> codec : WireCodecs.all()) {
            if (codec == own) {
                continue;
            }
            try {
                if (codec.decode(value).getUnknownFields().asMap().isEmpty()) {
                    return Optional.of(codec.recordType());
                }
            } catch (WireFormatException e) {
                // not this type either
            }
        }
        return Optional.empty();
    }

    private static boolean parsesWithoutForeignFields(WireCodec<?> codec, byte[] value) {
        try {
            Message parsed = Internal.getDefaultInstance(codec.recordClass()).getParserForType().parseFrom(value);
            return parsed.getUnknownFields().asMap().isEmpty();
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    /** An exception that knows its dead-letter class (e.g. a service's rejection of a well-formed record). */
    public interface Classified {
        /** The class, or null to let {@link DeadLetterReason#of} classify the failure by its message. */
        DeadLetterReason deadLetterReason();
    }
}
