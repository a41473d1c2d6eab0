package org.xai4j.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Writes a result folder all at once: everything goes into a temporary sibling folder, which is moved into place only
 * when complete, so an interrupted run leaves no half-written output. An existing non-empty folder is replaced only
 * when forced.
 */
final class OutputFolder implements AutoCloseable {

    private final Path target;
    private final boolean force;
    private final Path staging;
    private boolean committed;

    private final Thread cleanup;

    private OutputFolder(Path target, boolean force, Path staging) {
        this.target = target;
        this.force = force;
        this.staging = staging;
        // an interrupted run (Ctrl-C) leaves no staging folder behind either
        this.cleanup = new Thread(() -> {
            try {
                deleteRecursively(staging);
            } catch (IOException | RuntimeException ignored) {
                // best effort at exit
            }
        }, "xai4j-output-cleanup");
        try {
            Runtime.getRuntime().addShutdownHook(cleanup);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
    }

    /**
     * Checks the target and creates the staging folder next to it.
     *
     * @throws UsageException if the target is a file, or a non-empty folder and {@code force} is false
     */
    static OutputFolder open(Path target, boolean force) {
        Path abs = target.toAbsolutePath().normalize();
        check(abs, force);
        Path parent = abs.getParent();
        try {
            Files.createDirectories(parent);
            Path staging = Files.createTempDirectory(parent, "." + abs.getFileName() + ".partial-");
            try {
                // a temporary folder is private (rwx------); the report is an ordinary folder
                Files.setPosixFilePermissions(staging, java.nio.file.attribute.PosixFilePermissions.fromString(
                        "rwxr-xr-x"));
            } catch (UnsupportedOperationException | IOException ignored) {
                // not a POSIX file system: keep the defaults
            }
            return new OutputFolder(abs, force, staging);
        } catch (IOException e) {
            throw new UsageException("cannot create the output folder next to " + abs + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a target that cannot be written.
     *
     * @throws UsageException if it is a file, or a non-empty folder and not forced
     */
    static void check(Path target, boolean force) {
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new UsageException("output " + target + " exists and is not a folder");
        }
        if (!force && Files.isDirectory(target) && !isEmpty(target)) {
            throw new UsageException("output folder " + target + " exists and is not empty; use --force to replace it");
        }
    }

    /** The folder to write into (the staging folder). */
    Path dir() {
        return staging;
    }

    /** The final location. */
    Path target() {
        return target;
    }

    /** Moves the staging folder into place, replacing the target (checked again) if it exists. */
    Path commit() throws IOException {
        check(target, force);
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

    /** Deletes the staging folder unless committed. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException ignored) {
            // shutting down: the hook runs anyway
        }
        if (!committed) {
            try {
                deleteRecursively(staging);
            } catch (IOException | UncheckedIOException ignored) {
                // best effort
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        } catch (IOException e) {
            throw new UsageException("cannot list output folder " + dir + ": " + e.getMessage(), e);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
