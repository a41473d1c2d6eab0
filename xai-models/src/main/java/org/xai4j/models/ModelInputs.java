package org.xai4j.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.io.ImageLoader;
import org.xai4j.viz.transform.ImageTransforms;

/**
 * How an image becomes what a model of input size {@code height x width} sees: an image file or encoded bytes are
 * decoded by xai-viz's {@link ImageLoader} (a huge image subsampled while decoding, so memory follows the input size),
 * then the shorter side is resized to {@code max(height, width)} (keeping the aspect ratio) and the center is cropped,
 * torchvision's {@code Compose([Resize(max(height, width)), CenterCrop((height, width))])}; an image of exactly the
 * input size is kept as is. The result is RGB in [0, 1]; {@link ImageClassifier#toInput} batches such images into the
 * model's input array.
 *
 * <p>This is the one image preprocessing xai4j applies before a model sees an image: explaining
 * ({@link ImageClassifier#readImage}, the command line, Spark), the study and fine-tuning
 * ({@link org.xai4j.models.transfer.ImageFolder}) all read through it, so a model is explained on the pixels it
 * learned from. It lives next to model loading because the input size and preprocessing are the model's; xai-viz
 * keeps the decoding and the resizing kernels it is built on.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ModelInputs {

    private static final ImageLoader DEFAULT_LOADER = ImageLoader.builder().build();

    private final ImageLoader loader;
    private final int height;
    private final int width;

    private ModelInputs(ImageLoader loader, int height, int width) {
        this.loader = Objects.requireNonNull(loader, "loader must not be null");
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("input size must be positive, got height=" + height + ", width=" + width);
        }
        this.height = height;
        this.width = width;
    }

    /**
     * The inputs of a model of this input size, decoded by the default {@link ImageLoader} (4096x4096 pixels at most
     * before subsampling, alpha dropped).
     *
     * @param height the model's input height, positive
     * @param width  the model's input width, positive
     * @return the model inputs
     * @throws IllegalArgumentException if a size is not positive
     */
    public static ModelInputs of(int height, int width) {
        return new ModelInputs(DEFAULT_LOADER, height, width);
    }

    /**
     * The inputs of a model of this input size, decoded by a configured loader (another pixel limit, alpha composited
     * over white).
     *
     * @param loader the image decoder
     * @param height the model's input height, positive
     * @param width  the model's input width, positive
     * @return the model inputs
     * @throws NullPointerException     if {@code loader} is null
     * @throws IllegalArgumentException if a size is not positive
     */
    public static ModelInputs of(ImageLoader loader, int height, int width) {
        return new ModelInputs(loader, height, width);
    }

    /**
     * The input height.
     *
     * @return the height in pixels
     */
    public int height() {
        return height;
    }

    /**
     * The input width.
     *
     * @return the width in pixels
     */
    public int width() {
        return width;
    }

    /**
     * The image decoder.
     *
     * @return the loader
     */
    public ImageLoader loader() {
        return loader;
    }

    /**
     * Reads an image file at the input size.
     *
     * @param file a PNG, JPEG, BMP or GIF file of any size
     * @return the image at {@code height x width}
     * @throws NullPointerException                      if {@code file} is null
     * @throws java.nio.file.NoSuchFileException          if the file does not exist
     * @throws org.xai4j.viz.io.UnreadableImageException naming the file, if it cannot be decoded
     * @throws IOException                               if reading fails otherwise
     */
    public RgbImage read(Path file) throws IOException {
        return fit(loader.readForShorterSide(file, Math.max(height, width)));
    }

    /**
     * Reads encoded image bytes (an upload, a row of a dataset) at the input size, exactly as {@link #read(Path)}
     * reads the same bytes from a file. The stream is read to the end of the image but not closed.
     *
     * @param in         the encoded image
     * @param sourceName a name for error messages, e.g. the file's URI
     * @return the image at {@code height x width}
     * @throws NullPointerException                      if an argument is null
     * @throws org.xai4j.viz.io.UnreadableImageException naming the source, if it cannot be decoded
     * @throws IOException                               if reading the stream fails
     */
    public RgbImage read(InputStream in, String sourceName) throws IOException {
        return fit(loader.readForShorterSide(in, sourceName, Math.max(height, width)));
    }

    /**
     * Brings a decoded image of any size to the input size: the shorter side resized to {@code max(height, width)},
     * then the center cropped; an image of exactly the input size is returned as is.
     *
     * @param image the image
     * @return the image at {@code height x width}
     * @throws NullPointerException if {@code image} is null
     */
    public RgbImage fit(RgbImage image) {
        Objects.requireNonNull(image, "image must not be null");
        if (image.height() == height && image.width() == width) {
            return image;
        }
        return ImageTransforms.resizeAndCenterCrop(image, Math.max(height, width), height, width);
    }

    @Override public String toString() {
        return "ModelInputs[" + height + "x" + width + ", " + loader + "]";
    }
}
