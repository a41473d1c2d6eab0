package org.xai4j.study;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.models.toy.Mask;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.nd4j.ImageArrays;

/**
 * One image a network of the study is run on, at the network's input size.
 *
 * @param name  the name the report shows
 * @param image the pixels
 * @param truth the true class per role key ({@code object}, {@code face}, {@code emotion}), where known
 * @param masks ground-truth regions by name (toy world only)
 */
record StudyInput(String name, RgbImage image, Map<String, Integer> truth, Map<String, Mask> masks) {

    /** The image as a batch of one {@code [1, 3, H, W]}. */
    INDArray batch() {
        return ImageArrays.toBatch(image);
    }
}
