package org.xai4j.viz.figure;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;

/** Pixel inspection helpers for figure tests. */
final class Pixels {

    private Pixels() {
    }

    /** Counts pixels inside {@code area} whose RGB differs from {@code background}. */
    static int countDifferent(BufferedImage image, Rectangle area, Color background) {
        Rectangle clipped = area.intersection(new Rectangle(0, 0, image.getWidth(), image.getHeight()));
        int count = 0;
        for (int y = clipped.y; y < clipped.y + clipped.height; y++) {
            for (int x = clipped.x; x < clipped.x + clipped.width; x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) != (background.getRGB() & 0xFFFFFF)) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Counts pixels inside {@code area} exactly of color {@code color}. */
    static int countExactly(BufferedImage image, Rectangle area, Color color) {
        Rectangle clipped = area.intersection(new Rectangle(0, 0, image.getWidth(), image.getHeight()));
        int count = 0;
        for (int y = clipped.y; y < clipped.y + clipped.height; y++) {
            for (int x = clipped.x; x < clipped.x + clipped.width; x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == (color.getRGB() & 0xFFFFFF)) {
                    count++;
                }
            }
        }
        return count;
    }

    static BufferedImage solid(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    static int rgbAt(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xFFFFFF;
    }
}
