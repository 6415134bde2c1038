package io.kdflow.core.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directory chores of the phases: delete a tree, move a finished directory into place. */
final class Directories {

    private Directories() {}

    static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Replaces {@code target} by {@code written} (a sibling): a reader sees the old or the new one, never half. */
    static void replace(Path written, Path target) {
        Path old = target.resolveSibling(target.getFileName() + ".old");
        deleteTree(old);
        try {
            if (Files.exists(target)) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(written, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + written + " to " + target + ": " + e.getMessage(), e);
        }
        deleteTree(old);
    }

    /**
     * Undoes what a crash inside {@link #replace} can leave: {@code target} moved aside to {@code <target>.old} and
     * the new one not moved in yet. The old one is put back (it is complete: it was moved whole).
     */
    static void recoverReplaced(Path target) {
        Path old = target.resolveSibling(target.getFileName() + ".old");
        if (Files.exists(target) || !Files.isDirectory(old)) {
            return;
        }
        try {
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + old + " back to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Copies the regular files of {@code from} into {@code to} (created). */
    static void copyFiles(Path from, Path to) {
        try (Stream<Path> files = Files.list(from)) {
            Files.createDirectories(to);
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}
