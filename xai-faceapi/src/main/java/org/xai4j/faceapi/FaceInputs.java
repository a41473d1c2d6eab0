package org.xai4j.faceapi;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.viz.RgbImage;

import java.util.Objects;

/**
 * Network inputs made as face-api makes them ({@code dom/NetInput.ts} {@code toBatchTensor} on an image tensor): cut
 * the region out of the image ({@code extractFaceTensors}), pad it to a square with black ({@code ops/padToSquare.ts}:
 * centered for the face networks, at the bottom or right for the detector), and resize it to the network's size with
 * TensorFlow's legacy bilinear resize ({@code tf.image.resizeBilinear}, no corner alignment, no half-pixel centers).
 * The result is a batch of one in xai4j's pixel space, {@code [1, 3, size, size]} RGB in [0, 1].
 */
public final class FaceInputs {

    private FaceInputs() { }

    /**
     * A network input from a region of an image.
     *
     * @param image    the image
     * @param region   a whole-pixel region inside the image (as {@link FaceBox#clipAtImageBorders} gives)
     * @param size     the network's input side
     * @param centered whether the square padding is split over both sides (face networks) or put at the end
     *                 (detector)
     * @return {@code [1, 3, size, size]} float32 pixels in [0, 1]
     * @throws IllegalArgumentException if the region is empty, not whole pixels or outside the image, or the size is
     *                                  not positive
     */
    public static INDArray crop(RgbImage image, FaceBox region, int size, boolean centered) {
        Objects.requireNonNull(image, "image must not be null");
        Objects.requireNonNull(region, "region must not be null");
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        int x0 = (int) region.x();
        int y0 = (int) region.y();
        int w = (int) region.width();
        int h = (int) region.height();
        if (x0 != region.x() || y0 != region.y() || w != region.width() || h != region.height() || w <= 0 || h <= 0
                || x0 < 0 || y0 < 0 || x0 + w > image.width() || y0 + h > image.height()) {
            throw new IllegalArgumentException("region " + region + " must be a non-empty whole-pixel box inside the "
                    + image.width() + "x" + image.height() + " image; clip it with clipAtImageBorders");
        }
        // padToSquare: Math.round(diff * (centered ? 0.5 : 1)) appended, the rest prepended.
        int side = Math.max(w, h);
        int diff = side - Math.min(w, h);
        int append = (int) Math.round(diff * (centered ? 0.5 : 1.0));
        int prepend = centered ? diff - append : 0;
        int offX = h > w ? prepend : 0;
        int offY = w > h ? prepend : 0;
        float[] data = image.data();
        int plane = image.height() * image.width();
        float[] square = new float[3 * side * side];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                int src = c * plane + (y0 + y) * image.width() + x0;
                int dst = (c * side + offY + y) * side + offX;
                System.arraycopy(data, src, square, dst, w);
            }
        }
        float[] out = side == size ? square : resizeBilinear(square, side, side, size, size);
        return Nd4j.create(out, new long[] {1, 3, size, size}, 'c').castTo(DataType.FLOAT);
    }

    /**
     * The whole image as the detector sees it: padded to a square at the bottom or right, resized to {@code size}.
     *
     * @param image the image
     * @param size  the detector's input side
     * @return {@code [1, 3, size, size]} float32 pixels in [0, 1]
     */
    public static INDArray detectorInput(RgbImage image, int size) {
        return crop(image, new FaceBox(0, 0, image.width(), image.height()), size, false);
    }

    /**
     * tfjs-backend-cpu's {@code resizeBilinear} with {@code alignCorners = false}, {@code halfPixelCenters = false},
     * on planar channels.
     */
    static float[] resizeBilinear(float[] in, int inH, int inW, int outH, int outW) {
        double rowRatio = (double) inH / outH;
        double colRatio = (double) inW / outW;
        float[] out = new float[3 * outH * outW];
        for (int c = 0; c < 3; c++) {
            int base = c * inH * inW;
            for (int r = 0; r < outH; r++) {
                double fr = rowRatio * r;
                int r0 = (int) Math.max(0, Math.floor(fr));
                double rowFrac = fr - r0;
                int r1 = (int) Math.min(inH - 1, Math.ceil(fr));
                for (int col = 0; col < outW; col++) {
                    double fc = colRatio * col;
                    int c0 = (int) Math.max(0, Math.floor(fc));
                    double colFrac = fc - c0;
                    int c1 = (int) Math.min(inW - 1, Math.ceil(fc));
                    double tl = in[base + r0 * inW + c0];
                    double tr = in[base + r0 * inW + c1];
                    double bl = in[base + r1 * inW + c0];
                    double br = in[base + r1 * inW + c1];
                    double top = tl + (tr - tl) * colFrac;
                    double bottom = bl + (br - bl) * colFrac;
                    out[(c * outH + r) * outW + col] = (float) (top + (bottom - top) * rowFrac);
                }
            }
        }
        return out;
    }
}
