package org.xai4j.models.transfer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.models.ModelInputs;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.io.ImageLoader;
import org.xai4j.viz.nd4j.ImageArrays;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Reads a labelled image folder: one sub-folder per class, named exactly as the class, holding PNG or JPEG files
 * ({@code .png}, {@code .jpg}, {@code .jpeg}, any case; other and hidden files are ignored). Each image is read as
 * {@link #load} describes: through {@link ModelInputs}, decoded by xai-viz's {@link ImageLoader}, its shorter side
 * resized and its center cropped to the network's input size, RGB in [0, 1] — the same pixels an explainer is given
 * for the same file.
 *
 * <p>Any image size loads: a 1x1 image is upsampled like any other, and a huge one is subsampled while decoding
 * ({@link ImageLoader}), so a 10000x10000 scan never materialises at full resolution. An empty, truncated or corrupt
 * file, or one that is not an image, fails with an {@link IOException} naming the file and what was expected.
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
        Objects.requireNonNull(root, "root must not be null");
        Objects.requireNonNull(classes, "classes must not be null");
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("classes is empty; expected at least one class name");
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
     * One image as a model of input size {@code height x width} sees it: read by {@link ModelInputs#read(Path)}
     * (shorter side resized to {@code max(height, width)}, center crop), exactly as the explainers' callers read it,
     * so a fine-tuned network is explained on the pixels it was trained on.
     *
     * @param file   a PNG or JPEG file (other formats {@code javax.imageio} reads work too)
     * @param height the model's input height
     * @param width  the model's input width
     * @return {@code [3, height, width]} FLOAT RGB in [0, 1]
     * @throws NullPointerException     if {@code file} is null
     * @throws IllegalArgumentException if a size is not positive
     * @throws NoSuchFileException      if the file does not exist
     * @throws IOException              naming the file, if it is empty, truncated, corrupt or not an image
     */
    public static INDArray load(Path file, int height, int width) throws IOException {
        RgbImage image = ModelInputs.of(height, width).read(file);
        return ImageArrays.toBatch(image).reshape(3, height, width);
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
    }
}
