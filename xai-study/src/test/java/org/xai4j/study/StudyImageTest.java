package org.xai4j.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.viz.testing.TestImageFiles.encode;
import static org.xai4j.viz.testing.TestImageFiles.noise;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyImageTest {

    @TempDir
    Path tmp;

    @Test
    void readsTheImagesOfAFolderInNameOrder() throws IOException {
        Files.write(tmp.resolve("b.jpg"), encode(noise(30, 20), "jpg"));
        Files.write(tmp.resolve("a.png"), encode(noise(10, 12), "png"));
        Files.writeString(tmp.resolve("notes.txt"), "ignored");
        Files.createDirectories(tmp.resolve("sub.png"));
        List<StudyImage> images = StudyImage.readFolder(tmp);
        assertThat(images).extracting(StudyImage::name).containsExactly("a", "b");
        assertThat(images.get(0).image().height()).isEqualTo(12);
        assertThat(images.get(0).image().width()).isEqualTo(10);
        assertThat(images.get(0).toString()).isEqualTo("StudyImage[a, 12x10]");
    }

    @Test
    void aFolderWithoutImagesOrAFileIsRefused() throws IOException {
        Files.writeString(tmp.resolve("notes.txt"), "no images");
        assertThatThrownBy(() -> StudyImage.readFolder(tmp)).isInstanceOf(IOException.class)
                .hasMessageContaining("holds no png/jpg images");
        assertThatThrownBy(() -> StudyImage.readFolder(tmp.resolve("notes.txt")))
                .isInstanceOf(NotDirectoryException.class).hasMessageContaining("is not a folder");
    }

    @Test
    void aCorruptImageIsNamedOnce() throws IOException {
        Files.write(tmp.resolve("a-good.png"), encode(noise(64, 64), "png"));
        byte[] jpeg = encode(noise(64, 64), "jpg");
        Path bad = Files.write(tmp.resolve("b-cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        assertThatThrownBy(() -> StudyImage.readFolder(tmp)).isInstanceOf(IOException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).startsWith("cannot read image " + bad + ": ")
                            .contains("JPEG data is truncated").contains("expected a complete image file");
                    assertThat(e.getMessage().split(java.util.regex.Pattern.quote(bad.toString()), -1)).hasSize(2);
                });
    }

    @Test
    void theShippedPhotosAndTheirLicencesAreOnTheClasspath() throws IOException {
        List<StudyImage> photos = StudyImage.shippedPhotos();
        assertThat(photos).extracting(StudyImage::name).containsExactly("astronaut", "chelsea", "coffee", "rocket");
        for (StudyImage photo : photos) {
            assertThat(photo.image().width()).isEqualTo(224);
            assertThat(photo.image().height()).isEqualTo(224);
        }
        try (InputStream in = StudyImage.class.getResourceAsStream("images/LICENSES.md")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("astronaut.png")
                    .contains("public domain");
        }
    }
}
