package io.kdflow.core.safetensors;

import io.kdflow.core.error.BadInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;

/**
 * A safetensors file opened for reading. The header is read and validated on open; tensor bytes are
 * read lazily, one tensor at a time, so nothing is allocated from a length that was not checked
 * against the real file size first.
 */
public final class SafetensorsFile implements TensorSource {

    private final Path path;
    private final String displayName;
    private final FileChannel channel;
    private final SafetensorsHeader header;
    private final long dataStart;

    private SafetensorsFile(Path path, FileChannel channel, SafetensorsHeader header, long dataStart) {
        this.path = path;
        this.displayName = path.toString();
        this.channel = channel;
        this.header = header;
        this.dataStart = dataStart;
    }

    /** Opens and validates a file; throws {@link SafetensorsFormatException} if it breaks the format. */
    public static SafetensorsFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            String name = path.toString();
            long fileSize = channel.size();
            if (fileSize < 8) {
                SafetensorsHeader.checkHeaderLength(0, fileSize, name);
            }
            ByteBuffer prefix = readFully(channel, 0, 8, name).order(ByteOrder.LITTLE_ENDIAN);
            int headerLength = SafetensorsHeader.checkHeaderLength(prefix.getLong(0), fileSize, name);
            ByteBuffer json = readFully(channel, 8, headerLength, name);
            byte[] jsonBytes = new byte[headerLength];
            json.get(jsonBytes);
            long dataStart = 8L + headerLength;
            SafetensorsHeader header = SafetensorsHeader.parse(jsonBytes, fileSize - dataStart, name);
            return new SafetensorsFile(path, channel, header, dataStart);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The file this was read from. */
    public Path path() {
        return path;
    }

    /** The validated header. */
    public SafetensorsHeader header() {
        return header;
    }

    @Override
    public Set<String> names() {
        return header.tensors().keySet();
    }

    @Override
    public TensorEntry entry(String name) {
        TensorEntry entry = header.tensors().get(name);
        if (entry == null) {
            throw new BadInputException(displayName + ": no tensor named '" + name + "'");
        }
        return entry;
    }

    @Override
    public Map<String, String> metadata() {
        return header.metadata();
    }

    @Override
    public String location(String name) {
        return displayName;
    }

    /**
     * Reads one tensor's bytes into a new direct little-endian buffer positioned at 0.
     *
     * @throws SafetensorsFormatException if the tensor is larger than one buffer can hold or the file
     *     shrank since it was opened
     */
    @Override
    public ByteBuffer read(String name) throws IOException {
        TensorEntry entry = entry(name);
        if (entry.byteLength() > Integer.MAX_VALUE - 8) {
            throw new SafetensorsFormatException(displayName, name, entry.byteLength()
                    + " bytes is more than one buffer can hold (2 GiB)");
        }
        return readFully(channel, dataStart + entry.begin(), (int) entry.byteLength(), displayName)
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length, String name)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(length);
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new SafetensorsFormatException(name, "file ended at byte " + at + " while reading "
                        + length + " bytes from " + position);
            }
            at += read;
        }
        return buffer.flip();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + displayName + ", " + header.tensors().size() + " tensors]";
    }
}
