package org.xai4j.examples;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.viz.AttributionMap;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.transform.ImageTransforms;

/** Conversions between images, ND4J batches and attribution maps. */
final class Pixels {

    private Pixels() {
    }

    /** An RGB image as a batch of one, {@code [1, 3, H, W]} float in [0, 1]. */
    static INDArray batch(RgbImage image) {
        return Nd4j.create(image.toChw(), new long[] {1, 3, image.height(), image.width()}, 'c');
    }

    /** Example {@code i} of a batch as an RGB image (values clipped to [0, 1]). */
    static RgbImage image(INDArray batch, int i) {
        INDArray x = batch.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).castTo(DataType.FLOAT).dup('c');
        float[] chw = x.data().asFloat();
        for (int k = 0; k < chw.length; k++) {
            chw[k] = Math.max(0f, Math.min(1f, chw[k]));
        }
        return RgbImage.of(chw, (int) x.size(1), (int) x.size(2));
    }

    /** Resizes (shorter side) and centre-crops an image to the model's input size, unless it already fits. */
    static RgbImage fit(RgbImage image, int height, int width) {
        if (image.height() == height && image.width() == width) {
            return image;
        }
        return ImageTransforms.resizeAndCenterCrop(image, Math.max(height, width), height, width);
    }

    /** A {@code [C, H, W]} (or {@code [1, C, H, W]}) array as an attribution map. */
    static AttributionMap chw(INDArray a) {
        INDArray x = a.rank() == 4 ? a.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)) : a;
        x = x.castTo(DataType.FLOAT).dup('c');
        return AttributionMap.of(x.data().asFloat(), (int) x.size(0), (int) x.size(1), (int) x.size(2));
    }

    /** A {@code [H, W]} array as a single-channel attribution map. */
    static AttributionMap hw(INDArray a) {
        INDArray x = a.castTo(DataType.FLOAT).dup('c');
        return AttributionMap.ofSingleChannel(x.data().asFloat(), (int) x.size(0), (int) x.size(1));
    }

    /** {@code [C, H, W]} to row-major {@code H x W x C} floats (the layout of the .npy files). */
    static float[] toHwc(INDArray chw) {
        INDArray x = chw.rank() == 4 ? chw.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)) : chw;
        return x.castTo(DataType.FLOAT).permute(1, 2, 0).dup('c').data().asFloat();
    }

    /** Flat row-major floats of any array. */
    static float[] flat(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** Scales an image by an integer factor (nearest neighbour when enlarging small toy images). */
    static BufferedImage scale(BufferedImage image, int factor) {
        if (factor <= 1) {
            return image;
        }
        BufferedImage out = new BufferedImage(image.getWidth() * factor, image.getHeight() * factor,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(image, 0, 0, out.getWidth(), out.getHeight(), null);
        g.dispose();
        return out;
    }
}
