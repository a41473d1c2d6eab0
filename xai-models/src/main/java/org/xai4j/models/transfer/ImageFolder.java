package org.xai4j.models.transfer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
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
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads a labelled image folder: one sub-folder per class, named exactly as the class, holding PNG or JPEG files
 * ({@code .png}, {@code .jpg}, {@code .jpeg}, any case; other and hidden files are ignored). Images are read with
 * {@code javax.imageio}, resized (bilinear) to the network's input size and converted to RGB in [0, 1].
 */
public final class ImageFolder {

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

    /** One image as {@code [3, height, width]} RGB in [0, 1]. */
    public static INDArray load(Path file, int height, int width) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IOException("cannot decode image " + file.toAbsolutePath() + " (expected PNG or JPEG)");
        }
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

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
    }
}
