package org.xai4j.viz.nd4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.viz.AttributionMap;
import org.xai4j.viz.RgbImage;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Converts between ND4J arrays in the NCHW layout every xai4j model and explainer uses and the images and maps of
 * xai-viz. Both sides store one image as CHW planes, so the values are copied in order, never transposed.
 *
 * <pre>{@code
 * INDArray x = ImageArrays.toBatch(image).castTo(model.dataType());        // [1, 3, H, W], pixels in [0, 1]
 * Attribution ig = IntegratedGradients.builder().setModel(model).build().attribute(x, target);
 * AttributionMap map = ImageArrays.toMap(ig.values(), 0);                  // [3, H, W] of image 0
 * BufferedImage overlay = AttributionVisualizer.builder().build().render(map, image, VisualizationMethod.BLENDED_HEAT_MAP);
 * }</pre>
 */
public final class ImageArrays {

    private ImageArrays() { }

    /**
     * Stacks images into a model input batch.
     *
     * @param images one or more images of the same size
     * @return a FLOAT array {@code [n, 3, height, width]} with values in [0, 1]
     * @throws NullPointerException     if {@code images} or one of them is null
     * @throws IllegalArgumentException if there is no image or the sizes differ
     */
    public static INDArray toBatch(RgbImage... images) {
        Objects.requireNonNull(images, "images must not be null");
        return toBatch(Arrays.asList(images));
    }

    /**
     * Stacks images into a model input batch.
     *
     * @param images one or more images of the same size
     * @return a FLOAT array {@code [n, 3, height, width]} with values in [0, 1]
     * @throws NullPointerException     if {@code images} or one of them is null
     * @throws IllegalArgumentException if there is no image or the sizes differ
     */
    public static INDArray toBatch(List<RgbImage> images) {
        Objects.requireNonNull(images, "images must not be null");
        if (images.isEmpty()) {
            throw new IllegalArgumentException("images is empty; expected at least one image");
        }
        RgbImage first = Objects.requireNonNull(images.get(0), "images[0] must not be null");
        int plane = RgbImage.CHANNELS * first.height() * first.width();
        float[] data = new float[Math.multiplyExact(images.size(), plane)];
        for (int i = 0; i < images.size(); i++) {
            RgbImage image = Objects.requireNonNull(images.get(i), "images[" + i + "] must not be null");
            if (image.height() != first.height() || image.width() != first.width()) {
                throw new IllegalArgumentException("images[" + i + "] is " + image.height() + "x" + image.width()
                        + " but images[0] is " + first.height() + "x" + first.width() + "; a batch needs one size");
            }
            System.arraycopy(image.data(), 0, data, i * plane, plane);
        }
        return Nd4j.create(data, new long[] {images.size(), RgbImage.CHANNELS, first.height(), first.width()}, 'c');
    }

    /**
     * One image of a batch, e.g. an input or a feature visualization, with values clipped to [0, 1].
     *
     * @param batch an array {@code [n, 3, height, width]} of any floating-point type
     * @param index the image, in {@code [0, n)}
     * @return the image
     * @throws NullPointerException     if {@code batch} is null
     * @throws IllegalArgumentException if the batch is not {@code [n, 3, h, w]}, the index is out of range, or a value
     *                                  is NaN
     */
    public static RgbImage toImage(INDArray batch, int index) {
        Objects.requireNonNull(batch, "batch must not be null");
        if (batch.rank() != 4 || batch.size(1) != RgbImage.CHANNELS) {
            throw new IllegalArgumentException("batch must be [n, 3, height, width], got "
                    + Arrays.toString(batch.shape()));
        }
        float[] chw = example(batch, index).data().asFloat();
        for (int k = 0; k < chw.length; k++) {
            chw[k] = Math.max(0f, Math.min(1f, chw[k]));
        }
        return new RgbImage(chw, (int) batch.size(2), (int) batch.size(3));
    }

    /**
     * One map: {@code [height, width]} gives a single-channel map, {@code [channels, height, width]} a map with those
     * channels (an input attribution, a layer's activations).
     *
     * @param map a rank-2 or rank-3 array of finite values, any floating-point type
     * @return the map
     * @throws NullPointerException     if {@code map} is null
     * @throws IllegalArgumentException if the rank is not 2 or 3, or a value is not finite
     */
    public static AttributionMap toMap(INDArray map) {
        Objects.requireNonNull(map, "map must not be null");
        INDArray x = map.castTo(DataType.FLOAT).dup('c');
        if (map.rank() == 2) {
            return new AttributionMap(x.data().asFloat(), 1, (int) map.size(0), (int) map.size(1));
        }
        if (map.rank() == 3) {
            return new AttributionMap(x.data().asFloat(), (int) map.size(0), (int) map.size(1), (int) map.size(2));
        }
        throw new IllegalArgumentException("map must be [height, width] or [channels, height, width], got "
                + Arrays.toString(map.shape()) + " (for a batch use toMap(batch, index))");
    }

    /**
     * The map of one image of a batch: {@code [n, height, width]} (class activation maps) gives a single-channel map,
     * {@code [n, channels, height, width]} (input attributions, activations) a map with those channels.
     *
     * @param batch a rank-3 or rank-4 array of finite values
     * @param index the image, in {@code [0, n)}
     * @return the map
     * @throws NullPointerException     if {@code batch} is null
     * @throws IllegalArgumentException if the rank is not 3 or 4, the index is out of range or a value is not finite
     */
    public static AttributionMap toMap(INDArray batch, int index) {
        Objects.requireNonNull(batch, "batch must not be null");
        if (batch.rank() != 3 && batch.rank() != 4) {
            throw new IllegalArgumentException("batch must be [n, height, width] or [n, channels, height, width], got "
                    + Arrays.toString(batch.shape()));
        }
        return toMap(example(batch, index));
    }

    /**
     * A map as an array.
     *
     * @param map the map
     * @return a FLOAT array {@code [channels, height, width]}
     * @throws NullPointerException if {@code map} is null
     */
    public static INDArray toArray(AttributionMap map) {
        Objects.requireNonNull(map, "map must not be null");
        return Nd4j.create(map.data(), new long[] {map.channels(), map.height(), map.width()}, 'c');
    }

    private static INDArray example(INDArray batch, int index) {
        if (index < 0 || index >= batch.size(0)) {
            throw new IllegalArgumentException("index " + index + " is out of range for a batch of " + batch.size(0)
                    + " (expected 0.." + (batch.size(0) - 1) + ")");
        }
        return batch.get(NDArrayIndex.point(index)).castTo(DataType.FLOAT).dup('c');
    }
}
