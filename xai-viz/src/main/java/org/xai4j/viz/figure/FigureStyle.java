package org.xai4j.viz.figure;

import java.awt.Color;
import java.awt.Font;
import java.util.Objects;

/**
 * Colours, fonts and spacing shared by all figures.
 *
 * <p>The default font family is the logical {@link Font#SANS_SERIF} font, which the JDK resolves through
 * fontconfig (DejaVu Sans on Debian); headless rendering needs at least one installed font, see
 * {@code xai-viz/FONTS.md}.
 *
 * @param background the canvas colour
 * @param foreground the text and axis colour
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
     * @param background the canvas colour
     * @param foreground the text and axis colour
     * @param fontFamily the font family name, e.g. {@code "SansSerif"} or {@code "DejaVu Sans"}
     * @param titleFontSize the title size in pixels, positive
     * @param captionFontSize the size of captions, headers and axis text in pixels, positive
     * @param padding the space around and between elements in pixels, {@code >= 0}
     * @throws NullPointerException if a colour or the font family is null
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
     * Returns the default style: near-black text on white, SansSerif, 16 px titles, 12 px captions, 8 px padding.
     *
     * @return the default style
     */
    public static FigureStyle defaults() {
        return new FigureStyle(Color.WHITE, new Color(0x22, 0x22, 0x22), Font.SANS_SERIF, 16, 12, 8);
    }

    /**
     * Returns a dark style: light text on near-black, otherwise as {@link #defaults()}.
     *
     * @return the dark style
     */
    public static FigureStyle dark() {
        return new FigureStyle(new Color(0x11, 0x11, 0x11), new Color(0xEE, 0xEE, 0xEE), Font.SANS_SERIF, 16, 12, 8);
    }

    /**
     * Returns a copy with other colours.
     *
     * @param newBackground the canvas colour
     * @param newForeground the text and axis colour
     * @return the new style
     */
    public FigureStyle withColors(Color newBackground, Color newForeground) {
        return new FigureStyle(newBackground, newForeground, fontFamily, titleFontSize, captionFontSize, padding);
    }

    /**
     * Returns a copy with another font family.
     *
     * @param newFontFamily the family name
     * @return the new style
     */
    public FigureStyle withFontFamily(String newFontFamily) {
        return new FigureStyle(background, foreground, newFontFamily, titleFontSize, captionFontSize, padding);
    }

    /**
     * Returns a copy with other font sizes.
     *
     * @param newTitleFontSize the title size in pixels
     * @param newCaptionFontSize the caption size in pixels
     * @return the new style
     */
    public FigureStyle withFontSizes(int newTitleFontSize, int newCaptionFontSize) {
        return new FigureStyle(background, foreground, fontFamily, newTitleFontSize, newCaptionFontSize, padding);
    }

    /**
     * Returns a copy with other padding.
     *
     * @param newPadding the padding in pixels
     * @return the new style
     */
    public FigureStyle withPadding(int newPadding) {
        return new FigureStyle(background, foreground, fontFamily, titleFontSize, captionFontSize, newPadding);
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
}
