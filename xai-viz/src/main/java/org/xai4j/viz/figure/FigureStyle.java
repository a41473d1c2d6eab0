package org.xai4j.viz.figure;

import java.awt.Color;
import java.awt.Font;
import java.util.Objects;

/**
 * Colors, fonts and spacing shared by all figures.
 *
 * <p>The default font family is the logical {@link Font#SANS_SERIF} font, which the JDK resolves through
 * fontconfig (DejaVu Sans on Debian); headless rendering needs at least one installed font, see
 * {@code xai-viz/FONTS.md}.
 *
 * @param background the canvas color
 * @param foreground the text and axis color
 * @param fontFamily the font family name, e.g. {@code "SansSerif"} or {@code "DejaVu Sans"}
 * @param titleFontSize the title size in pixels, positive
 * @param captionFontSize the size of captions, headers and axis text in pixels, positive
 * @param padding the space around and between elements in pixels, {@code >= 0}
 */
public record FigureStyle(Color background, Color foreground, String fontFamily, int titleFontSize,
                          int captionFontSize, int padding) {

    /**
     * Validates the style.
     *
     * @param background the canvas color
     * @param foreground the text and axis color
     * @param fontFamily the font family name, e.g. {@code "SansSerif"} or {@code "DejaVu Sans"}
     * @param titleFontSize the title size in pixels, positive
     * @param captionFontSize the size of captions, headers and axis text in pixels, positive
     * @param padding the space around and between elements in pixels, {@code >= 0}
     * @throws NullPointerException if a color or the font family is null
     * @throws IllegalArgumentException if the font family is blank, a font size is not positive or the padding
     *     is negative
     */
    public FigureStyle {
        Objects.requireNonNull(background, "background must not be null");
        Objects.requireNonNull(foreground, "foreground must not be null");
        Objects.requireNonNull(fontFamily, "fontFamily must not be null");
        if (fontFamily.isBlank()) {
            throw new IllegalArgumentException("fontFamily must not be blank; use e.g. \"SansSerif\"");
        }
        if (titleFontSize <= 0 || captionFontSize <= 0) {
            throw new IllegalArgumentException(String.format(
                    "font sizes must be positive, got titleFontSize=%d, captionFontSize=%d",
                    titleFontSize, captionFontSize));
        }
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        }
    }

    /**
     * Starts a style with the defaults: near-black text on white, SansSerif, 16 px titles, 12 px captions, 8 px
     * padding.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a dark style: light text on near-black, otherwise the defaults.
     *
     * @return the dark style
     */
    public static FigureStyle dark() {
        return builder().optColors(new Color(0x11, 0x11, 0x11), new Color(0xEE, 0xEE, 0xEE)).build();
    }

    Font titleFont() {
        return new Font(fontFamily, Font.BOLD, titleFontSize);
    }

    Font captionFont() {
        return new Font(fontFamily, Font.PLAIN, captionFontSize);
    }

    Font headerFont() {
        return new Font(fontFamily, Font.BOLD, captionFontSize);
    }

    /** Builder: every setting is optional and starts at the default style. */
    public static final class Builder {
        private Color background = Color.WHITE;
        private Color foreground = new Color(0x22, 0x22, 0x22);
        private String fontFamily = Font.SANS_SERIF;
        private int titleFontSize = 16;
        private int captionFontSize = 12;
        private int padding = 8;

        private Builder() {
        }

        /**
         * Sets the colors.
         *
         * @param canvas the canvas color
         * @param text the text and axis color
         * @return this builder
         */
        public Builder optColors(Color canvas, Color text) {
            this.background = canvas;
            this.foreground = text;
            return this;
        }

        /**
         * Sets the font family.
         *
         * @param family the family name, e.g. {@code "DejaVu Sans"}
         * @return this builder
         */
        public Builder optFontFamily(String family) {
            this.fontFamily = family;
            return this;
        }

        /**
         * Sets the font sizes.
         *
         * @param title the title size in pixels, positive
         * @param caption the caption size in pixels, positive
         * @return this builder
         */
        public Builder optFontSizes(int title, int caption) {
            this.titleFontSize = title;
            this.captionFontSize = caption;
            return this;
        }

        /**
         * Sets the padding.
         *
         * @param pixels the space around and between elements, {@code >= 0}
         * @return this builder
         */
        public Builder optPadding(int pixels) {
            this.padding = pixels;
            return this;
        }

        /**
         * Builds the style.
         *
         * @return the style
         * @throws NullPointerException if a color or the font family is null
         * @throws IllegalArgumentException if the font family is blank, a font size is not positive or the padding
         *     is negative
         */
        public FigureStyle build() {
            return new FigureStyle(background, foreground, fontFamily, titleFontSize, captionFontSize, padding);
        }
    }
}
