package org.xai4j.viz.transform;

import java.util.Objects;
import org.xai4j.viz.RgbImage;

/**
 * Resizing and cropping of images: resize, resize-shorter-side and center crop, with torchvision's size and
 * offset arithmetic so that a Java pipeline sees the same pixels as the Python one that trained the model. The policy
 * xai4j applies to image files before a model sees them (shorter side to the larger input dimension, center crop)
 * lives next to model loading, in xai-models' {@code org.xai4j.models.ModelInputs}, built on these kernels.
 *
 * <p>Typical ImageNet evaluation ({@code Resize(256)} then {@code CenterCrop(224)}):
 * {@code ImageTransforms.resizeAndCenterCrop(image, 256, 224, 224)}. Keras's {@code load_img(target_size=...)}
 * instead resizes straight to the target, ignoring aspect ratio: {@link #resize(RgbImage, int, int)}.
 */
public final class ImageTransforms {

    private ImageTransforms() {
    }

    /**
     * Resizes to an exact size, ignoring aspect ratio, with antialiased bilinear filtering
     * ({@link Resampling#resize(RgbImage, int, int)}).
     *
     * @param image the image
     * @param height the target height, positive
     * @param width the target width, positive
     * @return the resized image
     * @throws NullPointerException if {@code image} is null
     * @throws IllegalArgumentException if a size is not positive
     */
    public static RgbImage resize(RgbImage image, int height, int width) {
        Objects.requireNonNull(image, "image must not be null");
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "target size must be positive, got height=" + height + ", width=" + width);
        }
        if (height == image.height() && width == image.width()) {
            return image;
        }
        return Resampling.resize(image, height, width);
    }

    /**
     * Resizes so that the shorter side becomes {@code shorterSide}, keeping the aspect ratio as torchvision's
     * {@code Resize(int)} does: the longer side becomes {@code floor(shorterSide * longer / shorter)}.
     *
     * @param image the image
     * @param shorterSide the target length of the shorter side, positive
     * @return the resized image (the same instance if it already has that size)
     * @throws NullPointerException if {@code image} is null
     * @throws IllegalArgumentException if {@code shorterSide} is not positive
     */
    public static RgbImage resizeShorterSide(RgbImage image, int shorterSide) {
        Objects.requireNonNull(image, "image must not be null");
        if (shorterSide <= 0) {
            throw new IllegalArgumentException("shorterSide must be positive, got " + shorterSide);
        }
        int height = image.height();
        int width = image.width();
        if (height <= width) {
            return resize(image, shorterSide, (int) ((long) shorterSide * width / height));
        }
        return resize(image, (int) ((long) shorterSide * height / width), shorterSide);
    }

    /**
     * Crops the central {@code height x width} region. The offsets are torchvision's
     * {@code round((H - height) / 2)} and {@code round((W - width) / 2)} with round-half-to-even, so an odd
     * margin of e.g. 3 puts 2 rows above and 1 below.
     *
     * @param image the image
     * @param height the crop height, in {@code [1, image height]}
     * @param width the crop width, in {@code [1, image width]}
     * @return the cropped image (the same instance if the sizes already match)
     * @throws NullPointerException if {@code image} is null
     * @throws IllegalArgumentException if the crop is empty or larger than the image
     */
    public static RgbImage centerCrop(RgbImage image, int height, int width) {
        Objects.requireNonNull(image, "image must not be null");
        if (height <= 0 || width <= 0 || height > image.height() || width > image.width()) {
            throw new IllegalArgumentException(String.format(
                    "crop %dx%d (height x width) must be positive and fit in the %dx%d image",
                    height, width, image.height(), image.width()));
        }
        int top = (int) Math.rint((image.height() - height) / 2.0);
        int left = (int) Math.rint((image.width() - width) / 2.0);
        return crop(image, top, left, height, width);
    }

    /**
     * Crops a rectangle.
     *
     * @param image the image
     * @param top the first row, {@code >= 0}
     * @param left the first column, {@code >= 0}
     * @param height the crop height, positive, with {@code top + height <= image height}
     * @param width the crop width, positive, with {@code left + width <= image width}
     * @return the cropped image (the same instance if the rectangle is the whole image)
     * @throws NullPointerException if {@code image} is null
     * @throws IllegalArgumentException if the rectangle is empty or not inside the image
     */
    public static RgbImage crop(RgbImage image, int top, int left, int height, int width) {
        Objects.requireNonNull(image, "image must not be null");
        if (top < 0 || left < 0 || height <= 0 || width <= 0
                || (long) top + height > image.height() || (long) left + width > image.width()) {
            throw new IllegalArgumentException(String.format(
                    "crop rectangle top=%d, left=%d, height=%d, width=%d is not inside the %dx%d image",
                    top, left, height, width, image.height(), image.width()));
        }
        if (top == 0 && left == 0 && height == image.height() && width == image.width()) {
            return image;
        }
        float[] source = image.data();
        float[] cropped = new float[RgbImage.CHANNELS * height * width];
        for (int c = 0; c < RgbImage.CHANNELS; c++) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(source, (c * image.height() + top + y) * image.width() + left,
                        cropped, (c * height + y) * width, width);
            }
        }
        return new RgbImage(cropped, height, width);
    }

    /**
     * Enlarges an image by an integer factor, repeating each pixel {@code factor x factor} times (nearest
     * neighbour): small model inputs such as 64x64 toy images stay crisp in figures.
     *
     * @param image the image
     * @param factor the enlargement, positive; 1 returns the image as is
     * @return the enlarged image
     * @throws NullPointerException if {@code image} is null
     * @throws IllegalArgumentException if {@code factor} is not positive
     */
    public static RgbImage enlarge(RgbImage image, int factor) {
        Objects.requireNonNull(image, "image must not be null");
        if (factor <= 0) {
            throw new IllegalArgumentException("factor must be positive, got " + factor);
        }
        if (factor == 1) {
            return image;
        }
        int height = image.height() * factor;
        int width = image.width() * factor;
        float[] source = image.data();
        float[] enlarged = new float[RgbImage.CHANNELS * height * width];
        for (int c = 0; c < RgbImage.CHANNELS; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    enlarged[(c * height + y) * width + x] =
                            source[(c * image.height() + y / factor) * image.width() + x / factor];
                }
            }
        }
        return new RgbImage(enlarged, height, width);
    }

    /**
     * Resizes the shorter side to {@code shorterSide}, then crops the center: torchvision's
     * {@code Compose([Resize(shorterSide), CenterCrop((cropHeight, cropWidth))])}.
     *
     * @param image the image
     * @param shorterSide the intermediate shorter-side length, positive
     * @param cropHeight the output height, positive and within the resized image
     * @param cropWidth the output width, positive and within the resized image
     * @return the preprocessed image of size {@code cropHeight x cropWidth}
     * @throws NullPointerException if {@code image} is null
     * @throws IllegalArgumentException if a size is not positive or the crop exceeds the resized image
     */
    public static RgbImage resizeAndCenterCrop(RgbImage image, int shorterSide, int cropHeight, int cropWidth) {
        Objects.requireNonNull(image, "image must not be null");
        if (cropHeight <= 0 || cropWidth <= 0) {
            throw new IllegalArgumentException(String.format(
                    "crop size must be positive, got height=%d, width=%d", cropHeight, cropWidth));
        }
        return centerCrop(resizeShorterSide(image, shorterSide), cropHeight, cropWidth);
    }
}
