package org.xai4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
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
            assertThat(folder.staging().getParent()).isEqualTo(tmp.toAbsolutePath().normalize());
            assertThat(folder.staging().getFileName().toString()).startsWith(".out.partial-");
            Files.writeString(folder.staging().resolve("a.txt"), "a");
            assertThat(target).doesNotExist();
            assertThat(folder.commit()).isEqualTo(target.toAbsolutePath().normalize());
            assertThatThrownBy(folder::commit).isInstanceOf(IllegalStateException.class);
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
            Files.createDirectories(folder.staging().resolve("sub"));
            Files.writeString(folder.staging().resolve("sub/half.txt"), "half");
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.count()).isZero();
        }
    }

    @Test
    void replacesANonEmptyFolderOnlyWhenAllowed() throws IOException {
        Path target = tmp.resolve("out");
        Files.createDirectories(target);
        Files.writeString(target.resolve("old.txt"), "old");
        assertThatThrownBy(() -> OutputFolder.open(target, false)).isInstanceOf(DirectoryNotEmptyException.class)
                .hasMessageContaining("not empty").hasMessageContaining(target.toString());
        assertThatThrownBy(() -> OutputFolder.check(target, false)).isInstanceOf(DirectoryNotEmptyException.class);
        OutputFolder.check(target, true);
        try (OutputFolder folder = OutputFolder.open(target, true)) {
            Files.writeString(folder.staging().resolve("new.txt"), "new");
            folder.commit();
        }
        assertThat(target.resolve("old.txt")).doesNotExist();
        assertThat(target.resolve("new.txt")).hasContent("new");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.count()).isEqualTo(1);
        }
    }

    @Test
    void aFolderThatFillsUpMeanwhileIsNotReplacedWithoutPermission() throws IOException {
        Path target = tmp.resolve("out");
        try (OutputFolder folder = OutputFolder.open(target, false)) {
            Files.writeString(folder.staging().resolve("new.txt"), "new");
            Files.createDirectories(target);
            Files.writeString(target.resolve("theirs.txt"), "theirs");
            assertThatThrownBy(folder::commit).isInstanceOf(DirectoryNotEmptyException.class);
        }
        assertThat(target.resolve("theirs.txt")).hasContent("theirs");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("out");
        }
    }

    @Test
    void anEmptyFolderIsUsedWithoutPermission() throws IOException {
        Path target = tmp.resolve("out");
        Files.createDirectories(target);
        try (OutputFolder folder = OutputFolder.open(target, false)) {
            Files.writeString(folder.staging().resolve("x.txt"), "x");
            folder.commit();
        }
        assertThat(target.resolve("x.txt")).exists();
    }

    @Test
    void refusesAFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("f"), "f");
        assertThatThrownBy(() -> OutputFolder.open(file, true)).isInstanceOf(NotDirectoryException.class)
                .hasMessageContaining("not a folder");
        assertThatThrownBy(() -> OutputFolder.open(null, true)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("target");
    }
}
