package org.xai4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** The study on user images (toy models, no masks), and the shipped photos with their attribution. */
class StudyUserImagesTest {

    @TempDir
    Path tmp;

    @Test
    void runsOnAFolderOfImagesAndSkipsWhatNeedsMasks() throws IOException {
        Path images = Files.createDirectories(tmp.resolve("images"));
        BufferedImage img = new BufferedImage(100, 80, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillOval(20, 10, 60, 60);
        g.dispose();
        ImageIO.write(img, "png", images.resolve("ball.png").toFile());
        Files.writeString(images.resolve("notes.txt"), "ignored");
        Path out = tmp.resolve("report");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Study.run(new String[] {"--quick", "--images", images.toString(), "--out", out.toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                Fixtures.toys());
        assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(s.path("mode").asText()).isEqualTo("toy models, user images");
        assertThat(s.path("integratedGradients").path("object").get(0).path("input").asText()).isEqualTo("ball");
        assertThat(s.path("beyond").path("localisation").path("skipped").asText()).contains("masks");
        assertThat(Files.readString(out.resolve("index.html"))).contains("Skipped");
        BufferedImage top = ImageIO.read(out.resolve("activations/object_0_top.png").toFile());
        assertThat(top.getWidth()).isEqualTo(192);
    }

    @Test
    void anEmptyImageFolderIsAUsageError() throws IOException {
        Path images = Files.createDirectories(tmp.resolve("empty"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Study.run(new String[] {"--images", images.toString(), "--out", tmp.resolve("r").toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                Fixtures.toys());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("holds no png/jpg images").hasLineCount(1);
        assertThat(tmp.resolve("r")).doesNotExist();
    }

    @Test
    void aWeightFileOfTheWrongNetworkIsAUsageError() throws IOException {
        Path zip = tmp.resolve("not_vgg16.zip");
        org.deeplearning4j.util.ModelSerializer.writeModel(Fixtures.network("object"), zip.toFile(), false);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Study.run(new String[] {"--vgg16", zip.toString(), "--out", tmp.resolve("r").toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                Fixtures.toys());
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("study: cannot load --vgg16").hasLineCount(1);
        assertThat(tmp.resolve("r")).doesNotExist();
    }

    @Test
    void theShippedPhotosAndTheirLicencesAreOnTheClasspath() throws IOException {
        for (String name : new String[] {"astronaut.png", "chelsea.png", "coffee.png", "rocket.png"}) {
            try (InputStream in = Study.class.getResourceAsStream("/images/" + name)) {
                assertThat(in).as(name).isNotNull();
                BufferedImage img = ImageIO.read(in);
                assertThat(img.getWidth()).isEqualTo(224);
            }
        }
        try (InputStream in = Study.class.getResourceAsStream("/images/LICENSES.md")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("astronaut.png")
                    .contains("public domain");
        }
    }
}
