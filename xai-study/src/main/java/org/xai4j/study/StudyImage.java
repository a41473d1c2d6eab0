package org.xai4j.study;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.io.ImageLoader;

/**
 * An image the study explains instead of the toy world's samples, at any size (each network sees it resized and
 * center-cropped to its input, {@link org.xai4j.models.ModelInputs#fit}).
 *
 * @param name  the name the report shows, e.g. the file name without its extension
 * @param image the pixels
 */
public record StudyImage(String name, RgbImage image) {

    /** The public-domain photos shipped with this module (attribution in {@code images/LICENSES.md} next to them). */
    private static final List<String> SHIPPED_PHOTOS = List.of("astronaut.png", "chelsea.png", "coffee.png",
            "rocket.png");

    /**
     * Checks the components.
     *
     * @throws NullPointerException if a component is null
     */
    public StudyImage {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(image, "image must not be null");
    }

    /**
     * Reads every PNG, JPEG, BMP and GIF file of a folder (not its subfolders), in file-name order; other files are
     * ignored.
     *
     * @param folder the folder
     * @return the images, named by their file names without extension
     * @throws NullPointerException  if {@code folder} is null
     * @throws NotDirectoryException if {@code folder} is not a folder
     * @throws IOException           if the folder holds no such image, or one cannot be decoded (the message names
     *                               the file and what was expected)
     */
    public static List<StudyImage> readFolder(Path folder) throws IOException {
        Objects.requireNonNull(folder, "folder must not be null");
        if (!Files.isDirectory(folder)) {
            throw new NotDirectoryException(folder + " is not a folder");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                    .matches(".*\\.(png|jpe?g|bmp|gif)")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException(folder + " holds no png/jpg images");
        }
        ImageLoader loader = ImageLoader.builder().build();
        List<StudyImage> images = new ArrayList<>();
        for (Path f : files) {
            images.add(new StudyImage(stem(f.getFileName().toString()), loader.read(f)));
        }
        return images;
    }

    /**
     * The four public-domain photos shipped with xai4j (an astronaut's portrait, a cat, a cup of coffee, a rocket;
     * 224x224), the default images of a study on full-size networks.
     *
     * @return the photos
     * @throws IllegalStateException if a photo is missing from the classpath or damaged (a broken installation)
     */
    public static List<StudyImage> shippedPhotos() {
        ImageLoader loader = ImageLoader.builder().build();
        List<StudyImage> images = new ArrayList<>();
        for (String file : SHIPPED_PHOTOS) {
            try (InputStream in = StudyImage.class.getResourceAsStream("images/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("the shipped photo " + file + " is missing from the classpath");
                }
                images.add(new StudyImage(stem(file), loader.read(in, file)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the shipped photo " + file + ": " + e.getMessage(), e);
            }
        }
        return images;
    }

    private static String stem(String fileName) {
        return fileName.replaceFirst("\\.[^.]+$", "");
    }

    @Override public String toString() {
        return "StudyImage[" + name + ", " + image.height() + "x" + image.width() + "]";
    }
}
