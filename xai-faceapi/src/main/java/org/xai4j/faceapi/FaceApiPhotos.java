package org.xai4j.faceapi;

import org.xai4j.viz.RgbImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The group photographs shipped with this module ({@code org/xai4j/faceapi/photos/}): face-api's demo photos
 * {@code sample1} ... {@code sample6}, 640 px wide PNG (MIT, see {@code org/xai4j/faceapi/NOTICE.md}); 20 faces in
 * all at the detector's default settings. They need no network access.
 */
public final class FaceApiPhotos {

    /** The file names, in order. */
    public static final List<String> NAMES =
            List.of("sample1.png", "sample2.png", "sample3.png", "sample4.png", "sample5.png", "sample6.png");

    private static final String RESOURCES = "/org/xai4j/faceapi/photos/";

    private FaceApiPhotos() { }

    /**
     * Reads a shipped photograph.
     *
     * @param name one of {@link #NAMES}
     * @return the image
     * @throws IllegalArgumentException if the name is not one of {@link #NAMES}
     * @throws UncheckedIOException     if the resource cannot be read (a broken build)
     */
    public static RgbImage read(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown photo '" + name + "'; the shipped photos are " + NAMES);
        }
        try (InputStream in = FaceApiPhotos.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("resource " + RESOURCES + name + " not found");
            }
            BufferedImage image = ImageIO.read(in);
            if (image == null) {
                throw new IOException("resource " + RESOURCES + name + " is not a readable image");
            }
            return RgbImage.fromBufferedImage(image);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped photo " + name, e);
        }
    }
}
