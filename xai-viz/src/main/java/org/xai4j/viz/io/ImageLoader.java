package org.xai4j.viz.io;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.transform.ImageTransforms;

/**
 * Decodes image files into {@link RgbImage}s in {@code [0, 1]} through {@code javax.imageio} (PNG, JPEG, BMP,
 * GIF, and TIFF/WBMP where the JDK provides them).
 *
 * <p>Every pixel layout becomes three channels: grayscale is replicated to R, G and B; 16-bit samples are divided
 * by 65535 (not truncated to 8 bits); palette images are expanded through their palette; alpha is handled as
 * {@link AlphaHandling configured} (dropped by default, like PIL's {@code convert("RGB")}). Gray and RGB samples
 * are read as stored, without the linear-to-sRGB conversion {@code BufferedImage.getRGB} applies to gray images.
 *
 * <p>Memory stays bounded for huge sources: if the image has more than {@link #maxPixels()} pixels, it is decoded
 * with {@link ImageReadParam#setSourceSubsampling source subsampling} (every k-th pixel in both directions, the
 * smallest k that fits), so a 10000x10000 scan never materialises at full resolution. Subsampling picks pixels
 * without filtering; the default limit ({@value #DEFAULT_MAX_PIXELS} pixels, 4096x4096) is far above classifier
 * input sizes, so it only affects images that would otherwise cost gigabytes. When such an image is read for a known
 * target size ({@link #readForShorterSide}, {@link #readResizedAndCropped}), the step is raised further, as far as
 * keeps the shorter side at least four times the requested one, so memory follows the requested size, not the
 * file's.
 *
 * <p>Files that cannot be decoded (empty, truncated, corrupt, unknown format) raise an
 * {@link UnreadableImageException} naming the file and what was expected. Instances are immutable and
 * thread-safe.
 */
public final class ImageLoader {

    /** The default limit on decoded pixels, 4096 * 4096. */
    public static final long DEFAULT_MAX_PIXELS = 4096L * 4096L;

    /**
     * How many times the requested shorter side an over-limit image keeps when it is subsampled for
     * {@link #readForShorterSide}: enough for the antialiased resize that follows to average several source pixels.
     */
    static final int TARGET_OVERSAMPLING = 4;

    private static final String EXPECTED = "expected a PNG, JPEG, BMP or GIF image";

    private final long maxPixels;
    private final AlphaHandling alphaHandling;

    private ImageLoader(long maxPixels, AlphaHandling alphaHandling) {
        this.maxPixels = maxPixels;
        this.alphaHandling = alphaHandling;
    }

    /**
     * Starts configuring a loader: by default a limit of {@value #DEFAULT_MAX_PIXELS} pixels and alpha dropped.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the most pixels decoded before subsampling kicks in.
     *
     * @return the pixel limit
     */
    public long maxPixels() {
        return maxPixels;
    }

    /**
     * Returns how transparency is handled.
     *
     * @return the alpha handling
     */
    public AlphaHandling alphaHandling() {
        return alphaHandling;
    }

    /**
     * Reads an image file at full resolution (or subsampled, if it exceeds {@link #maxPixels()}).
     *
     * @param file the image file
     * @return the image
     * @throws NullPointerException if {@code file} is null
     * @throws NoSuchFileException if the file does not exist
     * @throws UnreadableImageException if the file is empty, truncated, corrupt or not a supported image
     * @throws IOException if reading fails otherwise
     */
    public RgbImage read(Path file) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        return readFile(file, 0);
    }

    /** Reads a file; {@code targetShorterSide} as for {@link #subsamplingStep(int, int, long, int)} (0: none). */
    private RgbImage readFile(Path file, int targetShorterSide) throws IOException {
        if (Files.isDirectory(file)) {
            throw new UnreadableImageException(file.toString(), "is a directory; " + EXPECTED, null);
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "image file does not exist");
        }
        if (Files.size(file) == 0) {
            throw new UnreadableImageException(file.toString(), "file is empty (0 bytes); " + EXPECTED, null);
        }
        try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            if (input == null) {
                throw new UnreadableImageException(file.toString(), "no image input stream for this file", null);
            }
            return toRgbImage(decode(input, file.toString(), targetShorterSide), alphaHandling);
        }
    }

    /**
     * Reads an image from a stream, e.g. a classpath resource or an upload. The stream is read to the end of the
     * image but not closed.
     *
     * @param in the encoded image
     * @param sourceName a name for error messages, e.g. the resource path
     * @return the image
     * @throws NullPointerException if an argument is null
     * @throws UnreadableImageException if the data is empty, truncated, corrupt or not a supported image
     * @throws IOException if reading the stream fails
     */
    public RgbImage read(InputStream in, String sourceName) throws IOException {
        Objects.requireNonNull(in, "in must not be null");
        Objects.requireNonNull(sourceName, "sourceName must not be null");
        // An explicit memory cache: ImageIO's default may spill to temporary files.
        try (ImageInputStream input = new MemoryCacheImageInputStream(in)) {
            return toRgbImage(decode(input, sourceName, 0), alphaHandling);
        }
    }

    /**
     * Reads an image and prepares it as torchvision's {@code Resize(shorterSide)} then
     * {@code CenterCrop((cropHeight, cropWidth))} would.
     *
     * <p>Images within {@link #maxPixels()} are decoded at full size, so the result matches torchvision's. Larger
     * ones are subsampled while decoding down to about four times {@code shorterSide} (never
     * below the {@link #maxPixels()} step), so a 10000x10000 photo costs a few megabytes, not gigabytes. Images
     * smaller than the target, down to 1x1, are upsampled, as torchvision does.
     *
     * @param file the image file
     * @param shorterSide the intermediate shorter-side length, e.g. 256
     * @param cropHeight the output height, e.g. 224
     * @param cropWidth the output width, e.g. 224
     * @return the preprocessed image of size {@code cropHeight x cropWidth}
     * @throws NullPointerException if {@code file} is null
     * @throws IllegalArgumentException if a size is not positive or the crop exceeds the resized image
     * @throws UnreadableImageException if the file cannot be decoded
     * @throws IOException if reading fails otherwise
     * @see ImageTransforms#resizeAndCenterCrop(RgbImage, int, int, int)
     */
    public RgbImage readResizedAndCropped(Path file, int shorterSide, int cropHeight, int cropWidth)
            throws IOException {
        if (shorterSide <= 0 || cropHeight <= 0 || cropWidth <= 0) {
            throw new IllegalArgumentException(String.format(
                    "sizes must be positive, got shorterSide=%d, cropHeight=%d, cropWidth=%d",
                    shorterSide, cropHeight, cropWidth));
        }
        return ImageTransforms.resizeAndCenterCrop(readForShorterSide(file, shorterSide), shorterSide, cropHeight,
                cropWidth);
    }

    /**
     * Reads an image file that is about to be resized to a shorter side of about {@code shorterSide}: like
     * {@link #read(Path)}, but an image over {@link #maxPixels()} is subsampled while decoding down to about four
     * times {@code shorterSide} (never below the {@link #maxPixels()} step), so memory
     * follows the requested size, not the file's. Images within the limit are decoded at full size. Model inputs
     * ({@code org.xai4j.models.ModelInputs} in xai-models) and {@link #readResizedAndCropped} read files this way.
     *
     * @param file the image file
     * @param shorterSide the shorter side the caller resizes to, positive
     * @return the decoded image, at full size or subsampled
     * @throws NullPointerException if {@code file} is null
     * @throws IllegalArgumentException if {@code shorterSide} is not positive
     * @throws NoSuchFileException if the file does not exist
     * @throws UnreadableImageException if the file is empty, truncated, corrupt or not a supported image
     * @throws IOException if reading fails otherwise
     */
    public RgbImage readForShorterSide(Path file, int shorterSide) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        return readFile(file, checkShorterSide(shorterSide));
    }

    /**
     * Reads encoded image bytes (an upload, a row of a dataset) as {@link #readForShorterSide(Path, int)} reads a file:
     * the same decoding and subsampling, so a file and its bytes give the same pixels. The stream is read to the end of
     * the image but not closed.
     *
     * @param in the encoded image
     * @param sourceName a name for error messages, e.g. the file's URI
     * @param shorterSide the shorter side the caller resizes to, positive
     * @return the decoded image, at full size or subsampled
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code shorterSide} is not positive
     * @throws UnreadableImageException if the data is empty, truncated, corrupt or not a supported image
     * @throws IOException if reading the stream fails
     */
    public RgbImage readForShorterSide(InputStream in, String sourceName, int shorterSide) throws IOException {
        Objects.requireNonNull(in, "in must not be null");
        Objects.requireNonNull(sourceName, "sourceName must not be null");
        int target = checkShorterSide(shorterSide);
        try (ImageInputStream input = new MemoryCacheImageInputStream(in)) {
            return toRgbImage(decode(input, sourceName, target), alphaHandling);
        }
    }

    private static int checkShorterSide(int shorterSide) {
        if (shorterSide <= 0) {
            throw new IllegalArgumentException("shorterSide must be positive, got " + shorterSide);
        }
        return shorterSide;
    }

    private BufferedImage decode(ImageInputStream input, String source, int targetShorterSide) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
        if (!readers.hasNext()) {
            throw new UnreadableImageException(source,
                    "not a recognized image format (" + leadingBytes(input) + "); " + EXPECTED, null);
        }
        ImageReader reader = readers.next();
        String format = reader.getFormatName().toUpperCase(Locale.ROOT);
        try {
            reader.setInput(input, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            ImageReadParam param = reader.getDefaultReadParam();
            int step = subsamplingStep(width, height, maxPixels, targetShorterSide);
            if (step > 1) {
                param.setSourceSubsampling(step, step, 0, 0);
            }
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((ignored, message) -> warnings.add(message));
            BufferedImage image = reader.read(0, param);
            // The JPEG decoder reports truncation as a warning and fills the rest gray; PIL raises instead.
            for (String warning : warnings) {
                String lower = warning.toLowerCase(Locale.ROOT);
                if (lower.contains("truncated") || lower.contains("premature end")) {
                    throw new UnreadableImageException(source,
                            format + " data is truncated (" + warning + "); expected a complete image file", null);
                }
            }
            return image;
        } catch (UnreadableImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Corrupt data surfaces as IIOException, EOFException or, from some decoders, runtime exceptions.
            throw new UnreadableImageException(source, "cannot decode " + format + " data (" + describe(e)
                    + "); expected a complete, uncorrupted image file", e);
        } finally {
            reader.dispose();
        }
    }

    /**
     * Returns the step for an image read towards a shorter side of {@code targetShorterSide} (0: no target): 1 within
     * the limit; above it, the larger of {@link #subsamplingStep(int, int, long)} and the largest step that keeps the
     * shorter side at least {@link #TARGET_OVERSAMPLING} times the target.
     */
    static int subsamplingStep(int width, int height, long limit, int targetShorterSide) {
        int step = subsamplingStep(width, height, limit);
        if (step == 1 || targetShorterSide <= 0) {
            return step;
        }
        long keep = (long) TARGET_OVERSAMPLING * targetShorterSide;
        return (int) Math.max(step, Math.min(width, height) / keep); // ceil(shorter / k) >= shorter / k >= keep
    }

    /** Returns the smallest step k with ceil(w/k) * ceil(h/k) <= limit. */
    static int subsamplingStep(int width, int height, long limit) {
        long pixels = (long) width * height;
        if (pixels <= limit) {
            return 1;
        }
        int step = Math.max(2, (int) Math.floor(Math.sqrt((double) pixels / limit)));
        while (ceilDiv(width, step) * ceilDiv(height, step) > limit) {
            step++;
        }
        return step;
    }

    private static long ceilDiv(int value, int divisor) {
        return (value + (long) divisor - 1) / divisor;
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 300; t = t.getCause()) {
            if (text.length() > 0) {
                text.append(": ");
            }
            text.append(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
        }
        return text.toString();
    }

    private static String leadingBytes(ImageInputStream input) {
        try {
            input.seek(0);
            byte[] head = new byte[8];
            int n = input.read(head);
            if (n <= 0) {
                return "no data";
            }
            StringBuilder hex = new StringBuilder("starts with bytes");
            for (int i = 0; i < n; i++) {
                hex.append(String.format(" %02x", head[i]));
            }
            return hex.toString();
        } catch (IOException e) {
            return "header unreadable";
        }
    }

    /**
     * Converts a decoded image of any layout to RGB floats in {@code [0, 1]}.
     *
     * <p>Images with a gray or sRGB {@link ComponentColorModel} (8- or 16-bit, with or without alpha) are read
     * from their raster and scaled by {@code 2^bits - 1}; float rasters are taken as {@code [0, 1]} and clamped.
     * Palette, packed-int and other color models go through {@link BufferedImage#getRGB}, i.e. 8-bit sRGB.
     *
     * @param image the decoded image
     * @param alphaHandling what to do with transparency
     * @return the RGB image
     * @throws NullPointerException if an argument is null
     */
    public static RgbImage toRgbImage(BufferedImage image, AlphaHandling alphaHandling) {
        Objects.requireNonNull(image, "image must not be null");
        Objects.requireNonNull(alphaHandling, "alphaHandling must not be null");
        int width = image.getWidth();
        int height = image.getHeight();
        int plane = width * height;
        float[] chw = new float[3 * plane];
        ColorModel model = image.getColorModel();
        boolean composite = alphaHandling == AlphaHandling.COMPOSITE_OVER_WHITE && model.hasAlpha();
        if (isStoredAsRead(model)) {
            Raster raster = image.getRaster();
            int colorBands = model.getColorSpace().getNumComponents();
            int bands = raster.getNumBands();
            float[] scale = new float[bands];
            boolean floating = raster.getTransferType() == DataBuffer.TYPE_FLOAT
                    || raster.getTransferType() == DataBuffer.TYPE_DOUBLE;
            for (int b = 0; b < bands; b++) {
                scale[b] = floating ? 1f : 1f / ((1L << model.getComponentSize(b)) - 1);
            }
            float[] row = new float[width * bands];
            for (int y = 0; y < height; y++) {
                raster.getPixels(0, y, width, 1, row);
                for (int x = 0; x < width; x++) {
                    int base = x * bands;
                    float alpha = composite ? clamp(row[base + bands - 1] * scale[bands - 1]) : 1f;
                    for (int c = 0; c < 3; c++) {
                        int band = colorBands == 1 ? 0 : c;
                        float value = clamp(row[base + band] * scale[band]);
                        chw[c * plane + y * width + x] = composite ? value * alpha + (1f - alpha) : value;
                    }
                }
            }
        } else {
            int[] row = new int[width];
            for (int y = 0; y < height; y++) {
                image.getRGB(0, y, width, 1, row, 0, width);
                for (int x = 0; x < width; x++) {
                    int argb = row[x];
                    float alpha = composite ? (argb >>> 24) / 255f : 1f;
                    for (int c = 0; c < 3; c++) {
                        float value = ((argb >> (16 - 8 * c)) & 0xFF) / 255f;
                        chw[c * plane + y * width + x] = composite ? value * alpha + (1f - alpha) : value;
                    }
                }
            }
        }
        for (int i = 0; i < chw.length; i++) {
            chw[i] = clamp(chw[i]); // compositing may round a hair past 1
        }
        return new RgbImage(chw, height, width);
    }

    /** Whether raster samples are the file's gray or sRGB values, to be scaled rather than color-converted. */
    private static boolean isStoredAsRead(ColorModel model) {
        if (!(model instanceof ComponentColorModel) || model.isAlphaPremultiplied()) {
            return false;
        }
        ColorSpace space = model.getColorSpace();
        boolean gray = space.getType() == ColorSpace.TYPE_GRAY && space.getNumComponents() == 1;
        return (gray || space.isCS_sRGB()) && model.getNumComponents() == space.getNumComponents()
                + (model.hasAlpha() ? 1 : 0);
    }

    private static float clamp(float value) {
        return value >= 0f ? Math.min(value, 1f) : 0f; // also maps NaN from float rasters to 0
    }

    /**
     * Describes the configuration.
     *
     * @return e.g. {@code ImageLoader[maxPixels=16777216, alphaHandling=DROP]}
     */
    @Override
    public String toString() {
        return "ImageLoader[maxPixels=" + maxPixels + ", alphaHandling=" + alphaHandling + "]";
    }

    /** Builder: every setting is optional; {@link #build()} validates. */
    public static final class Builder {
        private long maxPixels = DEFAULT_MAX_PIXELS;
        private AlphaHandling alphaHandling = AlphaHandling.DROP;

        private Builder() {
        }

        /**
         * Sets the most pixels decoded before subsampling (default {@value ImageLoader#DEFAULT_MAX_PIXELS}).
         *
         * @param limit the limit, positive; larger sources are subsampled
         * @return this builder
         */
        public Builder optMaxPixels(long limit) {
            this.maxPixels = limit;
            return this;
        }

        /**
         * Sets what to do with transparency (default {@link AlphaHandling#DROP}).
         *
         * @param handling the alpha handling
         * @return this builder
         */
        public Builder optAlphaHandling(AlphaHandling handling) {
            this.alphaHandling = handling;
            return this;
        }

        /**
         * Builds the loader.
         *
         * @return the loader
         * @throws NullPointerException if the alpha handling is null
         * @throws IllegalArgumentException if the pixel limit is not positive
         */
        public ImageLoader build() {
            if (maxPixels <= 0) {
                throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
            }
            return new ImageLoader(maxPixels, Objects.requireNonNull(alphaHandling, "alphaHandling must not be null"));
        }
    }
}
