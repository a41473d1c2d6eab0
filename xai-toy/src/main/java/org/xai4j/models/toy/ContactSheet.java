package org.xai4j.models.toy;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Renders toy samples as a grid of enlarged tiles (a contact sheet) for visual inspection, optionally
 * with their masks tinted over the image and with label captions.
 */
public final class ContactSheet {

    private static final Color[] MASK_TINTS = {
        new Color(255, 0, 0), new Color(0, 200, 255), new Color(255, 230, 0), new Color(0, 255, 80),
        new Color(255, 0, 255)
    };

    private ContactSheet() {
    }

    /**
     * Renders samples row by row.
     *
     * @param samples      the samples; all must have the same size
     * @param columns      tiles per row, {@code >= 1}
     * @param scale        integer up-scaling of each tile (nearest neighbour), 1 to 16
     * @param overlayMasks whether to tint every mask region over the image (a different color per region)
     * @param captions     whether to write the label name under each tile
     * @return the sheet
     * @throws NullPointerException     if {@code samples} or an element is null
     * @throws IllegalArgumentException if {@code samples} is empty, sizes differ, or {@code columns}/{@code scale}
     *                                  are out of range
     */
    public static BufferedImage render(List<ToySample> samples, int columns, int scale, boolean overlayMasks,
                                       boolean captions) {
        Objects.requireNonNull(samples, "samples must not be null");
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("samples must contain at least one sample but was empty");
        }
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be >= 1 but was " + columns);
        }
        if (scale < 1 || scale > 16) {
            throw new IllegalArgumentException("scale must be between 1 and 16 but was " + scale);
        }
        ToySample first = Objects.requireNonNull(samples.get(0), "samples[0] must not be null");
        int h = first.height();
        int w = first.width();
        int caption = captions ? 14 : 0;
        int pad = 2;
        int tileW = w * scale + pad;
        int tileH = h * scale + caption + pad;
        int rows = (samples.size() + columns - 1) / columns;
        BufferedImage sheet = new BufferedImage(columns * tileW + pad, rows * tileH + pad, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setColor(new Color(40, 40, 40));
            g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int i = 0; i < samples.size(); i++) {
                ToySample s = Objects.requireNonNull(samples.get(i), "samples[" + i + "] must not be null");
                if (s.height() != h || s.width() != w) {
                    throw new IllegalArgumentException("all samples must be " + h + "x" + w + " but samples[" + i
                            + "] was " + s.height() + "x" + s.width());
                }
                BufferedImage tile = overlayMasks ? withMasks(s) : s.toBufferedImage();
                int x0 = pad + (i % columns) * tileW;
                int y0 = pad + (i / columns) * tileH;
                g.drawImage(tile, x0, y0, w * scale, h * scale, null);
                if (captions) {
                    g.setColor(Color.WHITE);
                    String text = s.isFace() ? s.identity() + ":" + s.emotion().displayName() : s.labelName();
                    g.drawString(text, x0 + 1, y0 + h * scale + caption - 3);
                }
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }

    /**
     * Writes an image as PNG, creating parent directories.
     *
     * @param image the image
     * @param path  the destination file
     * @throws NullPointerException if an argument is null
     * @throws UncheckedIOException if writing fails
     */
    public static void writePng(BufferedImage image, Path path) {
        Objects.requireNonNull(image, "image must not be null");
        Objects.requireNonNull(path, "path must not be null");
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(image, "png", path.toFile())) {
                throw new IOException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write PNG to " + path, e);
        }
    }

    private static BufferedImage withMasks(ToySample s) {
        BufferedImage img = s.toBufferedImage();
        int t = 0;
        for (Mask m : s.masks().values()) {
            Color tint = MASK_TINTS[t++ % MASK_TINTS.length];
            for (int y = 0; y < s.height(); y++) {
                for (int x = 0; x < s.width(); x++) {
                    if (m.get(y, x)) {
                        int rgb = img.getRGB(x, y);
                        int r = (((rgb >> 16) & 0xFF) + tint.getRed()) / 2;
                        int g = (((rgb >> 8) & 0xFF) + tint.getGreen()) / 2;
                        int b = ((rgb & 0xFF) + tint.getBlue()) / 2;
                        img.setRGB(x, y, (r << 16) | (g << 8) | b);
                    }
                }
            }
        }
        return img;
    }
}
