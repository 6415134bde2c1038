package io.kdflow.core.safetensors;

import java.util.Locale;
import java.util.Optional;

/** The element types a safetensors file may declare, with their size in bytes. */
public enum SafetensorsDtype {
    F64(8),
    F32(4),
    F16(2),
    BF16(2),
    I64(8),
    I32(4),
    I16(2),
    I8(1),
    U8(1),
    BOOL(1);

    private final int byteSize;

    SafetensorsDtype(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The name written in the header, e.g. {@code "F32"}. */
    public String headerName() {
        return name();
    }

    /** Looks up a header dtype name; empty when the name is not one of ours. */
    public static Optional<SafetensorsDtype> fromHeaderName(String name) {
        for (SafetensorsDtype dtype : values()) {
            if (dtype.name().equals(name)) {
                return Optional.of(dtype);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
