package org.xai4j.faceapi;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The 68 facial landmarks (the iBUG 300-W layout) in image pixels, with face-api's two alignment boxes
 * ({@code classes/FaceLandmarks.ts}, {@code classes/FaceLandmarks68.ts}).
 *
 * @param xs          the 68 x coordinates
 * @param ys          the 68 y coordinates
 * @param cropWidth   the width of the region the landmark network saw (face-api's landmark "image" width)
 * @param cropHeight  the height of that region
 */
public record FaceLandmarks68(double[] xs, double[] ys, int cropWidth, int cropHeight) {

    /** The number of landmarks. */
    public static final int COUNT = 68;

    /** Landmark index ranges [from, to) of the face parts, as {@code FaceLandmarks68} slices them. */
    public enum Part {
        /** 0-16. */
        JAW(0, 17),
        /** 17-21, the brow on the image's left. */
        LEFT_BROW(17, 22),
        /** 22-26. */
        RIGHT_BROW(22, 27),
        /** 27-35. */
        NOSE(27, 36),
        /** 36-41. */
        LEFT_EYE(36, 42),
        /** 42-47. */
        RIGHT_EYE(42, 48),
        /** 48-67, outer and inner lip contours. */
        MOUTH(48, 68);

        private final int from;
        private final int to;

        Part(int from, int to) {
            this.from = from;
            this.to = to;
        }

        /** The first landmark index. */
        public int from() {
            return from;
        }

        /** One past the last landmark index. */
        public int to() {
            return to;
        }
    }

    /** Checks the lengths and copies the arrays. */
    public FaceLandmarks68 {
        Objects.requireNonNull(xs, "xs must not be null");
        Objects.requireNonNull(ys, "ys must not be null");
        if (xs.length != COUNT || ys.length != COUNT) {
            throw new IllegalArgumentException("need 68 x and 68 y coordinates, got " + xs.length + " and " + ys.length);
        }
        if (cropWidth <= 0 || cropHeight <= 0) {
            throw new IllegalArgumentException("crop size must be positive, got " + cropWidth + "x" + cropHeight);
        }
        xs = xs.clone();
        ys = ys.clone();
    }

    /**
     * The landmarks from the landmark network's output on a region, as face-api's {@code postProcess} and
     * {@code extendWithFaceLandmarks} compute them: undo the centered square padding of the region, scale to the
     * region's size, and shift by the detection box's (unrounded) corner.
     *
     * @param output the network's 136 outputs {@code x0, y0, ...} relative to its square input
     * @param region the whole-pixel region the network saw ({@link FaceDetection#crop()})
     * @param shiftX the x of the detection box's corner (face-api shifts by the box, not by the clipped region)
     * @param shiftY the y of the detection box's corner
     * @param inputSize the landmark network's input size (112)
     * @return the landmarks in image pixels
     */
    public static FaceLandmarks68 fromOutput(float[] output, FaceBox region, double shiftX, double shiftY,
                                             int inputSize) {
        if (output == null || output.length != 2 * COUNT) {
            throw new IllegalArgumentException("landmark output must have 136 values, got "
                    + (output == null ? "null" : output.length));
        }
        int w = (int) region.width();
        int h = (int) region.height();
        double scale = (double) inputSize / Math.max(h, w);
        double width = w * scale;
        double height = h * scale;
        double padX = width < height ? Math.abs(width - height) / 2 : 0;
        double padY = height < width ? Math.abs(width - height) / 2 : 0;
        double[] xs = new double[COUNT];
        double[] ys = new double[COUNT];
        for (int i = 0; i < COUNT; i++) {
            double rx = (output[2 * i] * (double) inputSize - padX) / width;
            double ry = (output[2 * i + 1] * (double) inputSize - padY) / height;
            xs[i] = rx * w + shiftX;
            ys[i] = ry * h + shiftY;
        }
        return new FaceLandmarks68(xs, ys, w, h);
    }

    /** The x coordinates (a copy). */
    @Override public double[] xs() {
        return xs.clone();
    }

    /** The y coordinates (a copy). */
    @Override public double[] ys() {
        return ys.clone();
    }

    /** The points of a part, each {@code {x, y}}. */
    public List<double[]> points(Part part) {
        return java.util.stream.IntStream.range(part.from, part.to).mapToObj(i -> new double[] {xs[i], ys[i]}).toList();
    }

    /** The mean of a part's points, {@code {x, y}} ({@code getCenterPoint}). */
    public double[] center(Part part) {
        double sx = 0;
        double sy = 0;
        for (int i = part.from; i < part.to; i++) {
            sx += xs[i];
            sy += ys[i];
        }
        int n = part.to - part.from;
        return new double[] {sx / n, sy / n};
    }

    /**
     * face-api's default alignment ({@code align()}, min-bbox): the landmarks' bounding box grown by 20% of its width
     * and height, the box the expression and age/gender networks see ({@code alignedRect}).
     *
     * @return the box in image pixels
     */
    public FaceBox alignedBox() {
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = 0;
        double maxY = 0;
        for (int i = 0; i < COUNT; i++) {
            minX = Math.min(minX, xs[i]);
            minY = Math.min(minY, ys[i]);
            maxX = Math.max(maxX, xs[i]);
            maxY = Math.max(maxY, ys[i]);
        }
        FaceBox box = FaceBox.fromEdges(minX, minY, maxX, maxY);
        return box.pad(box.width() * 0.2, box.height() * 0.2);
    }

    /**
     * face-api's dlib-style alignment ({@code alignDlib}), the box the recognition network sees: a square of side
     * {@code floor(eye-to-mouth distance / 0.45)} placed around the centers of the eyes and mouth.
     *
     * @return the box in image pixels (whole pixels)
     */
    public FaceBox dlibBox() {
        double[] leftEye = center(Part.LEFT_EYE);
        double[] rightEye = center(Part.RIGHT_EYE);
        double[] mouth = center(Part.MOUTH);
        double eyeToMouth = (Math.hypot(mouth[0] - leftEye[0], mouth[1] - leftEye[1])
                + Math.hypot(mouth[0] - rightEye[0], mouth[1] - rightEye[1])) / 2;
        double size = Math.floor(eyeToMouth / 0.45);
        double refX = (leftEye[0] + rightEye[0] + mouth[0]) / 3;
        double refY = (leftEye[1] + rightEye[1] + mouth[1]) / 3;
        double x = Math.floor(Math.max(0, refX - 0.5 * size));
        double y = Math.floor(Math.max(0, refY - 0.43 * size));
        // face-api bounds the size by its landmark "image", which is the landmark crop, not the photograph
        return new FaceBox(x, y, Math.min(size, cropWidth + x), Math.min(size, cropHeight + y));
    }

    @Override public boolean equals(Object o) {
        return o instanceof FaceLandmarks68 other && Arrays.equals(xs, other.xs) && Arrays.equals(ys, other.ys)
                && cropWidth == other.cropWidth && cropHeight == other.cropHeight;
    }

    @Override public int hashCode() {
        return 31 * Arrays.hashCode(xs) + Arrays.hashCode(ys);
    }

    @Override public String toString() {
        double[] c = center(Part.NOSE);
        return String.format(java.util.Locale.ROOT, "FaceLandmarks68[68 points, nose at (%.1f, %.1f)]", c[0], c[1]);
    }
}
