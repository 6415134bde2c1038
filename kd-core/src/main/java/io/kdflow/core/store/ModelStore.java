package io.kdflow.core.store;

import io.kdflow.core.error.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The shared directory that holds model directories (a ReadWriteMany volume on Kubernetes). Records
 * never carry weights, only store URIs ({@code store:<relative path>}) and checksums.
 *
 * <p>Every URI is resolved inside the root: absolute paths, {@code ..} segments and symbolic-link
 * escapes are rejected, so a record cannot make a service read or write elsewhere.
 */
public final class ModelStore {

    public static final String SCHEME = "store";

    private final Path root;

    public ModelStore(Path root) {
        try {
            Files.createDirectories(root);
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new BadInputException("model store root " + root + " is not a usable directory", e);
        }
    }

    public Path root() {
        return root;
    }

    /** The URI of a path inside the store. */
    public URI uriOf(Path path) {
        Path relative = root.relativize(inside(path.toAbsolutePath().normalize(), path.toString()));
        return URI.create(SCHEME + ":" + relative.toString().replace('\\', '/'));
    }

    /**
     * The path a {@code store:} URI names.
     *
     * @throws IllegalArgumentException for another scheme, an absolute or escaping path
     */
    public Path resolve(String uri) {
        String prefix = SCHEME + ":";
        if (uri == null || !uri.startsWith(prefix)) {
            throw new BadInputException("model store URI must start with '" + prefix + "': " + uri);
        }
        String relative = uri.substring(prefix.length());
        if (relative.isEmpty() || relative.startsWith("/") || relative.contains("\\")) {
            throw new BadInputException("model store URI must name a relative path: " + uri);
        }
        return inside(root.resolve(relative).normalize(), uri);
    }

    /** Hex sha256 of a file, streamed. */
    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), newSha256())) {
            MessageDigest digest = ((DigestInputStream) in).getMessageDigest();
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " for its checksum", e);
        }
    }

    private Path inside(Path candidate, String original) {
        if (!candidate.startsWith(root)) {
            throw new BadInputException("path outside the model store root: " + original);
        }
        Path existing = candidate;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            if (existing != null && !existing.toRealPath().startsWith(root)) {
                throw new BadInputException("path leaves the model store through a link: " + original);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + original + " in the model store", e);
        }
        return candidate;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}
