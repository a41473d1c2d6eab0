package org.xai4j.features;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Pixel operations on whole {@code [n, C, H, W]} batches with ND4J ops, writing into arrays the caller reuses from
 * step to step: per-image circular shifts (jitter) and the total-variation gradient. The blur is
 * {@link org.xai4j.internal.GaussianBlur}, shared with the blurred baselines.
 */
final class ImageOps {

    private ImageOps() { }

    /**
     * Writes image i of {@code source}, circularly shifted by {@code sign * shifts[i] = (dy, dx)}, into image i of
     * {@code target} (four block copies per image; {@code source} and {@code target} must not overlap).
     */
    static void roll(INDArray source, int[][] shifts, int sign, INDArray target) {
        long h = source.size(2);
        long w = source.size(3);
        for (int i = 0; i < shifts.length; i++) {
            long dy = Math.floorMod((long) sign * shifts[i][0], h);
            long dx = Math.floorMod((long) sign * shifts[i][1], w);
            // Rows [0, h - dy) move down by dy and rows [h - dy, h) wrap to the top; likewise for columns.
            for (int yPart = 0; yPart < 2; yPart++) {
                long ySource = yPart == 0 ? 0 : h - dy;
                long yLength = yPart == 0 ? h - dy : dy;
                long yTarget = yPart == 0 ? dy : 0;
                for (int xPart = 0; xPart < 2 && yLength > 0; xPart++) {
                    long xSource = xPart == 0 ? 0 : w - dx;
                    long xLength = xPart == 0 ? w - dx : dx;
                    long xTarget = xPart == 0 ? dx : 0;
                    if (xLength > 0) {
                        target.get(block(i, yTarget, yLength, xTarget, xLength))
                                .assign(source.get(block(i, ySource, yLength, xSource, xLength)));
                    }
                }
            }
        }
    }

    private static INDArrayIndex[] block(long image, long y, long height, long x, long width) {
        return new INDArrayIndex[] {NDArrayIndex.point(image), NDArrayIndex.all(),
                NDArrayIndex.interval(y, y + height), NDArrayIndex.interval(x, x + width)};
    }

    /**
     * Subtracts {@code weight} times the gradient of the squared total variation
     * {@code sum((x[y+1,x]-x[y,x])^2 + (x[y,x+1]-x[y,x])^2) / (H W)} of each image and channel from {@code gradient}.
     *
     * @param images   {@code [n, C, H, W]}
     * @param weight   the penalty's weight
     * @param scratch  an array of the images' shape, overwritten
     * @param gradient the ascent direction to update, same shape
     */
    static void subtractTotalVariationGradient(INDArray images, double weight, INDArray scratch, INDArray gradient) {
        long h = images.size(2);
        long w = images.size(3);
        double factor = 2.0 * weight / (h * w);
        if (h > 1) {
            INDArray difference = scratch.get(rows(0, h - 1));
            difference.assign(images.get(rows(1, h))).subi(images.get(rows(0, h - 1))).muli(factor);
            // d/dx of d^2 is +2d at the lower pixel and -2d at the upper one; ascent subtracts it.
            gradient.get(rows(1, h)).subi(difference);
            gradient.get(rows(0, h - 1)).addi(difference);
        }
        if (w > 1) {
            INDArray difference = scratch.get(columns(0, w - 1));
            difference.assign(images.get(columns(1, w))).subi(images.get(columns(0, w - 1))).muli(factor);
            gradient.get(columns(1, w)).subi(difference);
            gradient.get(columns(0, w - 1)).addi(difference);
        }
    }

    private static INDArrayIndex[] rows(long from, long to) {
        return new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, to),
                NDArrayIndex.all()};
    }

    private static INDArrayIndex[] columns(long from, long to) {
        return new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(from, to)};
    }
}
