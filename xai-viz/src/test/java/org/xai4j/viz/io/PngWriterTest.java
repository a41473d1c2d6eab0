package org.xai4j.viz.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xai4j.viz.RgbImage;

class PngWriterTest {

    @Test
    void roundTripsRgbThroughAFile(@TempDir Path dir) throws IOException {
        BufferedImage image = RgbImage.filled(5, 7, 0x123456).toBufferedImage();
        Path file = dir.resolve("out.png");
        PngWriter.write(image, file);
        RgbImage decoded = ImageLoader.builder().build().read(file);
        assertThat(decoded.height()).isEqualTo(5);
        assertThat(decoded.width()).isEqualTo(7);
        assertThat(decoded.rgbAt(4, 6)).isEqualTo(0x123456);
    }

    @Test
    void keepsAlpha() throws IOException {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(1, 0, 0x40_FF_80_00);
        byte[] bytes = PngWriter.toBytes(argb);
        assertThat(bytes).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(decoded.getRGB(1, 0)).isEqualTo(0x40_FF_80_00);
    }

    @Test
    void reportsUnwritableTargets(@TempDir Path dir) {
        BufferedImage image = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        assertThatThrownBy(() -> PngWriter.write(image, dir.resolve("no/such/dir/out.png")))
                .isInstanceOf(IOException.class).hasMessageContaining("out.png");
        assertThatThrownBy(() -> PngWriter.write(null, dir.resolve("x.png")))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("image");
    }
}
