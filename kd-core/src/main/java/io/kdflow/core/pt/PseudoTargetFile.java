package io.kdflow.core.pt;

import com.google.protobuf.CodedOutputStream;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.wire.WireCodecs;
import io.kdflow.core.wire.WireFormatException;
import io.kdflow.core.wire.proto.PseudoTarget;
import io.kdflow.core.wire.proto.Split;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Appends are buffered; {@link #flush} (and {@link #close}) push them to the file. One writer thread per
 * file. In memory an open file keeps, per stored record, only its identity and byte offset ({@link #handles}:
 * a few hundred bytes, whatever the size of its distribution); {@link PtHandle#load} reads the record back from
 * the file, from any thread.
 */
public final class PseudoTargetFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PseudoTargetFile.class);

    /** Largest record accepted (a longer length prefix is corruption, not a record). */
    public static final int MAX_RECORD_BYTES = 256 << 20;

    private final Path file;
    private final OutputStream out;
    /** Stored records by identity, in file order. */
    private final Map<Identity, Stored> stored;
    /** Bytes appended (complete records), and those of them pushed to the file. */
    private long written;
    private volatile long flushed;
    private FileChannel reader;
    /** This file, for its records' handles (one holder per file). */
    private final PseudoTargetFile[] self;

    private PseudoTargetFile(Path file, OutputStream out, Map<Identity, Stored> stored, long length,
            PseudoTargetFile[] self) {
        this.file = file;
        this.self = self;
        this.out = out;
        this.stored = stored;
        this.written = length;
        this.flushed = length;
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
            Map<Identity, Stored> stored = new LinkedHashMap<>();
            PseudoTargetFile[] self = new PseudoTargetFile[1];
            long validBytes = 0;
            if (Files.exists(file)) {
                validBytes = scan(file, (record, offset, length) -> stored.putIfAbsent(Identity.of(record),
                        Stored.of(record, offset, length, self)));
                if (validBytes < Files.size(file)) {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        channel.truncate(validBytes);
                    }
                }
            }
            OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND), 1 << 16);
            self[0] = new PseudoTargetFile(file, out, stored, validBytes, self);
            return self[0];
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
            scan(file, (record, offset, length) -> {
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
    public synchronized boolean append(PseudoTarget record) {
        WireCodecs.PSEUDO_TARGET.validate(record);
        Identity identity = Identity.of(record);
        if (stored.containsKey(identity)) {
            return false;
        }
        try {
            int length = record.getSerializedSize();
            long offset = written + CodedOutputStream.computeUInt32SizeNoTag(length);
            record.writeDelimitedTo(out);
            written = offset + length;
            stored.put(identity, Stored.of(record, offset, length, self));
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the PT file " + file, e);
        }
    }

    /** Whether a record with this identity is stored. */
    public synchronized boolean contains(String exampleId, PseudoTarget.Kind kind, int ptIndex) {
        return stored.containsKey(new Identity(exampleId, kind, ptIndex));
    }

    /**
     * The stored record with {@code record}'s identity (the first one appended: a later equal one was skipped).
     *
     * @throws IllegalArgumentException when none is stored
     */
    public synchronized PtHandle handle(PseudoTarget record) {
        Stored handle = stored.get(Identity.of(record));
        if (handle == null) {
            throw new IllegalArgumentException("no record " + Identity.of(record) + " in " + file);
        }
        return handle;
    }

    /** Every stored record, in file order (a copy: appends do not change it). */
    public synchronized List<PtHandle> handles() {
        return List.copyOf(stored.values());
    }

    /** Number of distinct records stored. */
    public synchronized int size() {
        return stored.size();
    }

    public Path path() {
        return file;
    }

    /** Writes buffered records to the file. */
    public synchronized void flush() {
        try {
            out.flush();
            flushed = written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush the PT file " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
            flushed = written;
            if (reader != null) {
                reader.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the PT file " + file, e);
        }
    }

    /** Reads the record of {@code length} bytes at byte {@code offset} (after its length prefix). */
    private PseudoTarget read(long offset, int length) {
        if (offset + length > flushed) {
            flush(); // the record is still in the write buffer
        }
        ByteBuffer bytes = ByteBuffer.allocate(length);
        try {
            FileChannel channel = reader();
            while (bytes.hasRemaining()) {
                if (channel.read(bytes, offset + bytes.position()) < 0) {
                    throw new IllegalStateException("PT file " + file + " ends before the record at byte " + offset
                            + " (" + length + " bytes): it was changed by someone else");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the PT file " + file, e);
        }
        try {
            return WireCodecs.PSEUDO_TARGET.decode(bytes.array());
        } catch (WireFormatException e) {
            throw new BadInputException("PT file " + file + ": the record at byte offset " + offset
                    + " is corrupt: " + e.getMessage(), e);
        }
    }

    /** The channel records are read back through (positional reads: safe from any thread). */
    private synchronized FileChannel reader() throws IOException {
        if (reader == null) {
            reader = FileChannel.open(file, StandardOpenOption.READ);
        }
        return reader;
    }

    /** Takes one complete record with the offset and length of its bytes. */
    private interface RecordSink {
        void accept(PseudoTarget record, long offset, int length);
    }

    /** Reads every complete record; returns the byte length of the complete records. */
    private static long scan(Path file, RecordSink consumer) throws IOException {
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
                PseudoTarget record;
                try {
                    record = WireCodecs.PSEUDO_TARGET.decode(bytes);
                } catch (WireFormatException e) {
                    throw new BadInputException("PT file " + file + ": record " + index + " (byte offset " + offset
                            + ") is corrupt: " + e.getMessage(), e);
                }
                consumer.accept(record, offset + prefix, (int) length);
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

    /**
     * A stored record: its small fields and where its bytes are. {@code file} is a one-element holder because
     * {@link #open} makes the handles of the existing records before the file object.
     */
    private record Stored(String exampleId, PseudoTarget.Kind kind, int ptIndex, Split split, int numPseudoTargets,
            long offset, int length, PseudoTargetFile[] file) implements PtHandle {

        static Stored of(PseudoTarget record, long offset, int length, PseudoTargetFile[] file) {
            return new Stored(record.getExampleId(), record.getKind(), record.getPtIndex(), record.getSplit(),
                    record.getNumPseudoTargets(), offset, length, file);
        }

        @Override
        public PseudoTarget load() {
            return file[0].read(offset, length);
        }

        @Override
        public String toString() {
            return "PT record " + exampleId + "/" + kind + "/" + ptIndex + " at byte " + offset + " of "
                    + file[0].file;
        }
    }
}
