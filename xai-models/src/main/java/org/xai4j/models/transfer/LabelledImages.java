package org.xai4j.models.transfer;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.List;

/**
 * Images read from a labelled folder.
 *
 * @param pixels  {@code [n, 3, height, width]} float RGB in [0, 1] (xai4j pixel space)
 * @param labels  the class index of each image
 * @param files   the file of each image
 * @param classes the class names, in index order
 */
public record LabelledImages(INDArray pixels, int[] labels, List<Path> files, List<String> classes) {

    /** Checks the sizes agree. */
    public LabelledImages {
        if (pixels.size(0) != labels.length || labels.length != files.size()) {
            throw new IllegalArgumentException("got " + pixels.size(0) + " images, " + labels.length + " labels and "
                    + files.size() + " files");
        }
        labels = labels.clone();
        files = List.copyOf(files);
        classes = List.copyOf(classes);
    }

    /** The class index of each image, as a copy. */
    @Override public int[] labels() {
        return labels.clone();
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }
}
