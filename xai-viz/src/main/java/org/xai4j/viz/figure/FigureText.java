package org.xai4j.viz.figure;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;

/** Text measurement and drawing shared by the figures; single place for rendering hints. */
final class FigureText {

    private static final String ELLIPSIS = "\u2026";

    private FigureText() {
    }

    /** Creates a graphics context on the canvas with text and shape antialiasing, filled with the background. */
    static Graphics2D begin(BufferedImage canvas, FigureStyle style) {
        Graphics2D g = canvas.createGraphics();
        applyHints(g);
        g.setColor(style.background());
        g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
        return g;
    }

    private static void applyHints(Graphics2D g) {
        // Grayscale antialiasing: LCD modes would put color fringes into PNGs viewed on any screen.
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    }

    /** Metrics measured with the same hints as drawing, so layout and rendering agree. */
    static FontMetrics metrics(Font font) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            applyHints(g);
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    static int lineHeight(Font font) {
        return metrics(font).getHeight();
    }

    static String[] lines(String text) {
        return text.isEmpty() ? new String[0] : text.split("\\R", -1);
    }

    static int lineCount(String text) {
        return lines(text).length;
    }

    static int width(String text, Font font) {
        FontMetrics metrics = metrics(font);
        int widest = 0;
        for (String line : lines(text)) {
            widest = Math.max(widest, metrics.stringWidth(line));
        }
        return widest;
    }

    /** Shortens a line with an ellipsis until it fits {@code maxWidth} pixels. */
    static String fit(String line, FontMetrics metrics, int maxWidth) {
        if (metrics.stringWidth(line) <= maxWidth) {
            return line;
        }
        int end = line.length();
        while (end > 0 && metrics.stringWidth(line.substring(0, end) + ELLIPSIS) > maxWidth) {
            end--;
        }
        return end == 0 ? "" : line.substring(0, end) + ELLIPSIS;
    }

    /** Draws (possibly multi-line) text centered on {@code centerX}, first line's top at {@code top}. */
    static void drawCentered(Graphics2D g, String text, Font font, int centerX, int top, int maxWidth) {
        g.setFont(font);
        FontMetrics metrics = g.getFontMetrics();
        int baseline = top + metrics.getAscent();
        for (String line : lines(text)) {
            String fitted = fit(line, metrics, maxWidth);
            g.drawString(fitted, centerX - metrics.stringWidth(fitted) / 2, baseline);
            baseline += metrics.getHeight();
        }
    }

    /** Draws one line with its left edge at {@code left} and its top at {@code top}. */
    static void drawLeft(Graphics2D g, String line, Font font, int left, int top) {
        g.setFont(font);
        g.drawString(line, left, top + g.getFontMetrics().getAscent());
    }

    /** Draws one line with its right edge at {@code right}, vertically centered on {@code centerY}. */
    static void drawRightAligned(Graphics2D g, String line, Font font, int right, int centerY) {
        g.setFont(font);
        FontMetrics metrics = g.getFontMetrics();
        int baseline = centerY + (metrics.getAscent() - metrics.getDescent()) / 2;
        g.drawString(line, right - metrics.stringWidth(line), baseline);
    }

    /** Draws one line rotated 90 degrees counter-clockwise, centered on ({@code centerX}, {@code centerY}). */
    static void drawVertical(Graphics2D g, String line, Font font, int centerX, int centerY, int maxLength) {
        g.setFont(font);
        FontMetrics metrics = g.getFontMetrics();
        String fitted = fit(line, metrics, maxLength);
        Graphics2D rotated = (Graphics2D) g.create();
        try {
            rotated.translate(centerX, centerY);
            rotated.rotate(-Math.PI / 2);
            int baseline = (metrics.getAscent() - metrics.getDescent()) / 2;
            rotated.drawString(fitted, -metrics.stringWidth(fitted) / 2, baseline);
        } finally {
            rotated.dispose();
        }
    }

    /** Formats a number compactly for labels: integers without decimals, others with 4 significant digits. */
    static String formatNumber(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1e6 || magnitude < 1e-3) {
            return String.format(Locale.ROOT, "%.3e", value);
        }
        String text = String.format(Locale.ROOT, "%.4g", value);
        if (text.contains(".") && !text.contains("e")) {
            text = text.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return text;
    }
}
