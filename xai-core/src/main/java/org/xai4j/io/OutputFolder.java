package org.xai4j.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * A result folder written all at once: everything goes into a hidden staging folder next to the target
 * ({@code .NAME.partial-*}), which {@link #commit()} moves into place when complete. Closing without committing
 * deletes the staging folder, so a failed or cancelled run leaves nothing behind. An existing non-empty target is
 * replaced only when asked to.
 *
 * <pre>{@code
 * try (OutputFolder folder = OutputFolder.open(Path.of("report"), false)) {
 *     Files.writeString(folder.staging().resolve("index.html"), html);
 *     folder.commit();
 * }
 * }</pre>
 */
public final class OutputFolder implements AutoCloseable {

    private final Path target;
    private final boolean replace;
    private final Path staging;
    private boolean committed;

    private OutputFolder(Path target, boolean replace, Path staging) {
        this.target = target;
        this.replace = replace;
        this.staging = staging;
    }

    /**
     * Checks the target and creates the staging folder next to it (and the target's parent folders).
     *
     * @param target  the folder to write
     * @param replace whether an existing non-empty target may be replaced
     * @return the open folder; write into {@link #staging()}
     * @throws NullPointerException       if {@code target} is null
     * @throws NotDirectoryException      if the target exists and is not a folder
     * @throws DirectoryNotEmptyException if the target is a non-empty folder and {@code replace} is false
     * @throws IOException                if the staging folder cannot be created
     */
    public static OutputFolder open(Path target, boolean replace) throws IOException {
        Path abs = target(target);
        check(abs, replace);
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + abs.getFileName() + ".partial-");
        try {
            // a temporary folder is private (rwx------); a result is an ordinary folder
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep its defaults
        }
        return new OutputFolder(abs, replace, staging);
    }

    /**
     * Checks, without writing anything, that a folder could be opened: call it before long work.
     *
     * @param target  the folder to write
     * @param replace whether an existing non-empty target may be replaced
     * @throws NullPointerException       if {@code target} is null
     * @throws NotDirectoryException      if the target exists and is not a folder
     * @throws DirectoryNotEmptyException if the target is a non-empty folder and {@code replace} is false
     * @throws IOException                if the target cannot be listed
     */
    public static void check(Path target, boolean replace) throws IOException {
        Path abs = target(target);
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new NotDirectoryException(abs + " exists and is not a folder");
        }
        if (!replace && Files.isDirectory(abs) && !isEmpty(abs)) {
            throw new DirectoryNotEmptyException(abs + " exists and is not empty");
        }
    }

    /**
     * The folder to write into until {@link #commit()}.
     *
     * @return the staging folder
     */
    public Path staging() {
        return staging;
    }

    /**
     * Where the folder goes on {@link #commit()}.
     *
     * @return the absolute, normalized target
     */
    public Path target() {
        return target;
    }

    /**
     * Moves the staging folder into place, replacing the target if allowed (checked again: something may have
     * appeared there meanwhile).
     *
     * @return the target
     * @throws IllegalStateException if already committed
     * @throws IOException           if the target may not or cannot be replaced; the old target is then kept
     */
    public Path commit() throws IOException {
        if (committed) {
            throw new IllegalStateException(target + " is already committed");
        }
        check(target, replace);
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
            move(target, old);
        }
        try {
            move(staging, target);
        } catch (IOException e) {
            if (old != null) {
                move(old, target);
            }
            throw e;
        }
        committed = true;
        if (old != null) {
            deleteRecursively(old);
        }
        return target;
    }

    /** Deletes the staging folder unless committed; best effort, never throws. */
    @Override public void close() {
        if (!committed) {
            try {
                deleteRecursively(staging);
            } catch (IOException | RuntimeException e) {
                // nothing more can be done here; the folder is hidden and named as partial
            }
        }
    }

    @Override public String toString() {
        return "OutputFolder[" + target + (committed ? ", committed" : ", staging=" + staging.getFileName()) + "]";
    }

    private static Path target(Path target) {
        return Objects.requireNonNull(target, "target must not be null").toAbsolutePath().normalize();
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
