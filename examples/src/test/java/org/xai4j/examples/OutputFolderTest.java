package org.xai4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFolderTest {

    @TempDir
    Path tmp;

    @Test
    void writesIntoAStagingSiblingAndMovesItIntoPlace() throws IOException {
        Path target = tmp.resolve("out");
        try (OutputFolder folder = OutputFolder.open(target, false)) {
            assertThat(folder.dir().getParent()).isEqualTo(tmp.toAbsolutePath().normalize());
            Files.writeString(folder.dir().resolve("a.txt"), "a");
            assertThat(target).doesNotExist();
            folder.commit();
        }
        assertThat(target.resolve("a.txt")).hasContent("a");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.count()).isEqualTo(1);
        }
        if (Files.getFileStore(target).supportsFileAttributeView("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                    .isEqualTo("rwxr-xr-x");
        }
    }

    @Test
    void anInterruptedRunLeavesNothing() throws IOException {
        Path target = tmp.resolve("out");
        try (OutputFolder folder = OutputFolder.open(target, false)) {
            Files.writeString(folder.dir().resolve("half.txt"), "half");
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.count()).isZero();
        }
    }

    @Test
    void replacesANonEmptyFolderOnlyWhenForced() throws IOException {
        Path target = tmp.resolve("out");
        Files.createDirectories(target);
        Files.writeString(target.resolve("old.txt"), "old");
        assertThatThrownBy(() -> OutputFolder.open(target, false)).isInstanceOf(UsageException.class)
                .hasMessageContaining("not empty");
        try (OutputFolder folder = OutputFolder.open(target, true)) {
            Files.writeString(folder.dir().resolve("new.txt"), "new");
            folder.commit();
        }
        assertThat(target.resolve("old.txt")).doesNotExist();
        assertThat(target.resolve("new.txt")).hasContent("new");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.count()).isEqualTo(1);
        }
    }

    @Test
    void anEmptyFolderIsUsedWithoutForce() throws IOException {
        Path target = tmp.resolve("out");
        Files.createDirectories(target);
        try (OutputFolder folder = OutputFolder.open(target, false)) {
            Files.writeString(folder.dir().resolve("x.txt"), "x");
            folder.commit();
        }
        assertThat(target.resolve("x.txt")).exists();
    }

    @Test
    void refusesAFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("f"), "f");
        assertThatThrownBy(() -> OutputFolder.open(file, true)).isInstanceOf(UsageException.class)
                .hasMessageContaining("not a folder");
    }
}
