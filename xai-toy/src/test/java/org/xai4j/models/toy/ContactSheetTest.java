package org.xai4j.models.toy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactSheetTest {

    @Test
    void rendersAGridAndWritesPng(@TempDir Path dir) throws Exception {
        List<ToySample> samples = new FaceWorld(1, 32, FaceTask.EMOTION).batch(0, 5);
        BufferedImage sheet = ContactSheet.render(samples, 3, 2, true, true);
        assertThat(sheet.getWidth()).isGreaterThanOrEqualTo(3 * 64);
        assertThat(sheet.getHeight()).isGreaterThanOrEqualTo(2 * 64);
        Path png = dir.resolve("sub/sheet.png");
        ContactSheet.writePng(sheet, png);
        assertThat(Files.size(png)).isPositive();
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(sheet.getWidth());
    }

    @Test
    void validatesArguments() {
        List<ToySample> samples = new ObjectWorld(1, 16).batch(0, 2);
        assertThatThrownBy(() -> ContactSheet.render(List.of(), 2, 1, false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> ContactSheet.render(samples, 0, 1, false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("columns");
        assertThatThrownBy(() -> ContactSheet.render(samples, 2, 0, false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scale");
    }
}
