package org.xai4j.viz.io;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Writes images as PNG (lossless, keeps alpha) through {@code javax.imageio}; works headless.
 */
public final class PngWriter {

    private PngWriter() {
    }

    /**
     * Writes an image to a PNG file, replacing any existing file. The image is encoded in memory and written to a
     * temporary file next to the target, which is then moved into place, so a failure (an encoder error, a full
     * disk) never leaves a partial file behind. The parent directory must exist.
     *
     * @param image the image, e.g. a rendered figure
     * @param file the target file, conventionally ending in {@code .png}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if no PNG encoder handles the image's type
     * @throws IOException if the file cannot be written
     */
    public static void write(BufferedImage image, Path file) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        byte[] png = toBytes(image);
        Path target = file.toAbsolutePath();
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
        try {
            Files.write(temp, png);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Encodes an image as PNG bytes, e.g. for an HTTP response or a notebook.
     *
     * @param image the image
     * @return the PNG file contents
     * @throws NullPointerException if {@code image} is null
     * @throws IllegalArgumentException if no PNG encoder handles the image's type
     */
    public static byte[] toBytes(BufferedImage image) {
        Objects.requireNonNull(image, "image must not be null");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean encoded;
        try {
            encoded = ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a PNG in memory failed", e); // no real I/O involved
        }
        if (!encoded) {
            throw new IllegalArgumentException("no PNG encoder for image type " + image.getType()
                    + "; convert it to BufferedImage.TYPE_INT_RGB or TYPE_INT_ARGB first");
        }
        return out.toByteArray();
    }
}
