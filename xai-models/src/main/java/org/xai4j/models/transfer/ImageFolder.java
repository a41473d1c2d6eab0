package org.xai4j.models.transfer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads a labelled image folder: one sub-folder per class, named exactly as the class, holding PNG or JPEG files
 * ({@code .png}, {@code .jpg}, {@code .jpeg}, any case; other and hidden files are ignored). Images are read with
 * {@code javax.imageio}, resized (bilinear) to the network's input size and converted to RGB in [0, 1].
 *
 * <p>Any image size loads: a 1x1 image is upsampled like any other, and an image of more than 4096x4096 pixels is
 * decoded with source subsampling (every k-th pixel, down to about four times the target size), so a 10000x10000 scan
 * never materialises at full resolution. An empty, truncated or corrupt file, or one that is not an image, fails with
 * an {@link IOException} naming the file and what was expected.
 */
public final class ImageFolder {

    /** Images with more pixels than this (4096 * 4096) are subsampled while decoding. */
    static final long MAX_PIXELS = 4096L * 4096L;

    /** How many times the target size a subsampled image keeps, for the bilinear resize that follows. */
    static final int OVERSAMPLING = 4;

    private ImageFolder() { }

    /**
     * Reads every image of the folder.
     *
     * @param root    the folder holding one sub-folder per class
     * @param classes the class names; every sub-folder must be one of them and every class must have a sub-folder
     * @param height  the height images are resized to
     * @param width   the width images are resized to
     * @throws IOException naming the problem: a missing folder, a sub-folder that is not a class (listing the valid
     *                     names), a class without sub-folder, a class folder without images, an unreadable image
     */
    public static LabelledImages read(Path root, List<String> classes, int height, int width) throws IOException {
        if (root == null || classes == null || classes.isEmpty()) {
            throw new IllegalArgumentException("root and classes must be given");
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        }
        if (!Files.exists(root)) {
            throw new NoSuchFileException(root.toAbsolutePath().toString(), null,
                    "the image folder does not exist (expected one sub-folder per class: " + classes + ")");
        }
        if (!Files.isDirectory(root)) {
            throw new NotDirectoryException(root.toAbsolutePath() + " (expected a folder with one sub-folder per class)");
        }
        List<Path> folders;
        try (Stream<Path> s = Files.list(root)) {
            folders = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        List<String> unknown = new ArrayList<>();
        for (Path f : folders) {
            if (!classes.contains(f.getFileName().toString())) {
                unknown.add(f.getFileName().toString());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IOException("image folder " + root.toAbsolutePath() + " has sub-folders that are not classes: "
                    + unknown + "; valid class names are " + classes);
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Path folder = root.resolve(classes.get(c));
            if (!Files.isDirectory(folder)) {
                throw new IOException("image folder " + root.toAbsolutePath() + " has no sub-folder for class '"
                        + classes.get(c) + "' (expected " + folder.toAbsolutePath() + ")");
            }
            List<Path> images;
            try (Stream<Path> s = Files.list(folder)) {
                images = s.filter(Files::isRegularFile).filter(ImageFolder::isImage)
                        .sorted(Comparator.comparing(Path::toString)).toList();
            }
            if (images.isEmpty()) {
                throw new IOException("class folder " + folder.toAbsolutePath() + " (class '" + classes.get(c)
                        + "') has no PNG or JPEG images");
            }
            for (Path image : images) {
                files.add(image);
                labels.add(c);
            }
        }
        INDArray pixels = Nd4j.create(DataType.FLOAT, files.size(), 3, height, width);
        for (int i = 0; i < files.size(); i++) {
            pixels.putSlice(i, load(files.get(i), height, width));
        }
        return new LabelledImages(pixels, labels.stream().mapToInt(Integer::intValue).toArray(), files, classes);
    }

    /**
     * One image as {@code [3, height, width]} RGB in [0, 1].
     *
     * @param file   a PNG or JPEG file (other formats {@code javax.imageio} reads work too)
     * @param height the height the image is resized to
     * @param width  the width the image is resized to
     * @return the resized image
     * @throws IllegalArgumentException if {@code file} is null or a size is not positive
     * @throws NoSuchFileException      if the file does not exist
     * @throws IOException              naming the file, if it is empty, truncated, corrupt or not an image
     */
    public static INDArray load(Path file, int height, int width) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        }
        BufferedImage image = decode(file, height, width);
        BufferedImage resized = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = resized.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        float[] data = new float[3 * height * width];
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = resized.getRGB(x, y);
                int p = y * width + x;
                data[p] = ((rgb >> 16) & 0xff) / 255f;
                data[plane + p] = ((rgb >> 8) & 0xff) / 255f;
                data[2 * plane + p] = (rgb & 0xff) / 255f;
            }
        }
        return Nd4j.create(data, new long[] {3, height, width}, DataType.FLOAT);
    }

    /** Decodes a file, subsampling huge images towards the target size; every failure names the file. */
    private static BufferedImage decode(Path file, int height, int width) throws IOException {
        String name = file.toAbsolutePath().toString();
        String expected = "expected a PNG or JPEG image";
        if (!Files.exists(file)) {
            throw new NoSuchFileException(name, null, "image file does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("cannot decode image " + name + ": not a regular file; " + expected);
        }
        long size = Files.size(file);
        if (size == 0) {
            throw new IOException("cannot decode image " + name + ": the file is empty (0 bytes); " + expected);
        }
        try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = input == null ? null : ImageIO.getImageReaders(input);
            if (readers == null || !readers.hasNext()) {
                throw new IOException("cannot decode image " + name + ": not a recognised image format (" + size
                        + " bytes); " + expected);
            }
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toUpperCase(Locale.ROOT);
            List<String> warnings = new ArrayList<>();
            BufferedImage image;
            try {
                reader.setInput(input, true, true);
                ImageReadParam param = reader.getDefaultReadParam();
                int step = subsamplingStep(reader.getWidth(0), reader.getHeight(0), height, width);
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                reader.addIIOReadWarningListener((ignored, message) -> warnings.add(message));
                image = reader.read(0, param);
            } catch (IOException | RuntimeException e) {
                // corrupt data surfaces as IIOException, EOFException or, from some decoders, runtime exceptions
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (e.getCause() != null && e.getCause().getMessage() != null) {
                    reason += ": " + e.getCause().getMessage();
                }
                throw new IOException("cannot decode image " + name + ": corrupt or truncated " + format + " data ("
                        + reason + "); expected a complete image file", e);
            } finally {
                reader.dispose();
            }
            // The JPEG decoder reports truncation as a warning and fills the rest grey.
            for (String warning : warnings) {
                String lower = warning.toLowerCase(Locale.ROOT);
                if (lower.contains("truncated") || lower.contains("premature end")) {
                    throw new IOException("cannot decode image " + name + ": the " + format + " data is truncated ("
                            + warning + "); expected a complete image file");
                }
            }
            return image;
        }
    }

    /**
     * 1 for images of at most {@link #MAX_PIXELS} pixels; above, the smallest step within the limit, raised as far as
     * keeps {@link #OVERSAMPLING} times the target size.
     */
    static int subsamplingStep(int sourceWidth, int sourceHeight, int height, int width) {
        long pixels = (long) sourceWidth * sourceHeight;
        if (pixels <= MAX_PIXELS) {
            return 1;
        }
        int step = (int) Math.ceil(Math.sqrt((double) pixels / MAX_PIXELS));
        while ((long) ceilDiv(sourceWidth, step) * ceilDiv(sourceHeight, step) > MAX_PIXELS) {
            step++;
        }
        long target = Math.min(sourceWidth / ((long) OVERSAMPLING * width), sourceHeight / ((long) OVERSAMPLING * height));
        return (int) Math.max(step, target);
    }

    private static int ceilDiv(int value, int divisor) {
        return (int) ((value + (long) divisor - 1) / divisor);
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
    }
}
