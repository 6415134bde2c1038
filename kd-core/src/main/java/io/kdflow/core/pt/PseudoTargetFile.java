package io.kdflow.core.pt;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.WireFormatException;
import io.kdflow.core.wire.proto.PseudoTarget;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local file of {@link PseudoTarget} records, each written as a varint byte length followed by the
 * record's protobuf bytes (protobuf's {@code writeDelimitedTo} framing), so the in-process runner, the
 * streaming pipeline and later jobs can reuse a teacher's PTs.
 *
 * <p>Rules:
 * <ul>
 *   <li>Records are identified by (example id, kind, pt index); the first one stored wins, later equal
 *       identities are skipped on append and on read.</li>
 *   <li>Every record must pass {@link WireCodecs#PSEUDO_TARGET}'s checks, when written and when read.</li>
 *   <li>A crash while appending can leave the last record incomplete (a length prefix or bytes cut short at
 *       the end of the file): readers drop it with a warning, and {@link #open} cuts it off the file before
 *       appending. An incomplete record anywhere but at the end is impossible by construction.</li>
 *   <li>A complete record whose bytes do not decode, or a length prefix that is not a valid varint or
 *       exceeds {@link #MAX_RECORD_BYTES}, is corruption: {@link BadInputException} naming the file, the
 *       record index (0-based) and its byte offset.</li>
 * </ul>
 * Appends are buffered; {@link #flush} (and {@link #close}) push them to the file. One writer per file;
 * not thread-safe.
 */
public final class PseudoTargetFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PseudoTargetFile.class);

    /** Largest record accepted (a longer length prefix is corruption, not a record). */
    public static final int MAX_RECORD_BYTES = 256 << 20;

    private final Path file;
    private final OutputStream out;
    private final Set<Identity> stored;

    private PseudoTargetFile(Path file, OutputStream out, Set<Identity> stored) {
        this.file = file;
        this.out = out;
        this.stored = stored;
    }

    /**
     * Opens {@code file} for appending, creating it (and its directory) when missing; reads the identities
     * already stored and cuts off an incomplete last record.
     *
     * @throws BadInputException when the existing file is corrupt
     */
    public static PseudoTargetFile open(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Set<Identity> stored = new HashSet<>();
            long validBytes = 0;
            if (Files.exists(file)) {
                validBytes = scan(file, record -> stored.add(Identity.of(record)));
                if (validBytes < Files.size(file)) {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        channel.truncate(validBytes);
                    }
                }
            }
            OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND), 1 << 16);
            return new PseudoTargetFile(file, out, stored);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the PT file " + file, e);
        }
    }

    /**
     * Every distinct record of {@code file}, in file order (the first of equal identities).
     *
     * @throws BadInputException when the file is missing or corrupt
     */
    public static List<PseudoTarget> readAll(Path file) {
        List<PseudoTarget> records = new ArrayList<>();
        forEach(file, records::add);
        return records;
    }

    /** Streams the distinct records of {@code file} in file order (see {@link #readAll}). */
    public static void forEach(Path file, Consumer<PseudoTarget> consumer) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("PT file " + file + ": not found (or not a regular file)");
        }
        Set<Identity> seen = new HashSet<>();
        try {
            scan(file, record -> {
                if (seen.add(Identity.of(record))) {
                    consumer.accept(record);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the PT file " + file, e);
        }
    }

    /**
     * Appends {@code record} unless one with its identity is stored.
     *
     * @return whether it was new
     * @throws io.kdflow.core.wire.WireFormatException when the record breaks the wire contract
     */
    public boolean append(PseudoTarget record) {
        WireCodecs.PSEUDO_TARGET.validate(record);
        if (!stored.add(Identity.of(record))) {
            return false;
        }
        try {
            record.writeDelimitedTo(out);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the PT file " + file, e);
        }
    }

    /** Whether a record with this identity is stored. */
    public boolean contains(String exampleId, PseudoTarget.Kind kind, int ptIndex) {
        return stored.contains(new Identity(exampleId, kind, ptIndex));
    }

    /** Number of distinct records stored. */
    public int size() {
        return stored.size();
    }

    public Path path() {
        return file;
    }

    /** Writes buffered records to the file. */
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush the PT file " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the PT file " + file, e);
        }
    }

    /** Reads every complete record; returns the byte length of the complete records. */
    private static long scan(Path file, Consumer<PseudoTarget> consumer) throws IOException {
        long size = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            long offset = 0;
            for (int index = 0; ; index++) {
                if (offset == size) {
                    return offset;
                }
                int[] prefixBytes = new int[1];
                long length = readLength(in, file, index, offset, prefixBytes);
                int prefix = prefixBytes[0];
                if (length < 0 || offset + prefix + length > size) {
                    LOG.warn("PT file {}: record {} at byte {} is incomplete ({} bytes left), the end of an "
                            + "interrupted write: dropped", file, index, offset, size - offset);
                    return offset;
                }
                byte[] bytes = in.readNBytes((int) length);
                if (bytes.length != length) {
                    throw new IOException("file shrank while reading: " + file);
                }
                try {
                    consumer.accept(WireCodecs.PSEUDO_TARGET.decode(bytes));
                } catch (WireFormatException e) {
                    throw new BadInputException("PT file " + file + ": record " + index + " (byte offset " + offset
                            + ") is corrupt: " + e.getMessage(), e);
                }
                offset += prefix + length;
            }
        }
    }

    /** The varint length prefix (its byte count in {@code prefixBytes[0]}); -1 when the file ends inside it. */
    private static long readLength(InputStream in, Path file, int index, long offset, int[] prefixBytes)
            throws IOException {
        long value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.read();
            if (b < 0) {
                return -1;
            }
            prefixBytes[0]++;
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (value > MAX_RECORD_BYTES) {
                    throw new BadInputException("PT file " + file + ": record " + index + " (byte offset " + offset
                            + ") is corrupt: length prefix " + value + " exceeds " + MAX_RECORD_BYTES + " bytes");
                }
                return value;
            }
        }
        throw new BadInputException("PT file " + file + ": record " + index + " (byte offset " + offset
                + ") is corrupt: length prefix is not a varint of at most 5 bytes");
    }

    /** What de-duplication compares. */
    private record Identity(String exampleId, PseudoTarget.Kind kind, int ptIndex) {

        static Identity of(PseudoTarget record) {
            return new Identity(record.getExampleId(), record.getKind(), record.getPtIndex());
        }
    }
}
