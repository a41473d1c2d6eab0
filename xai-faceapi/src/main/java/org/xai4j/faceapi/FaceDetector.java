package org.xai4j.faceapi;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.viz.RgbImage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * face-api's TinyFaceDetector: a Tiny-YOLOv2-style network with separable convolutions (five anchors, one class),
 * its box decoding and its non-maximum suppression, ported from {@code tinyYolov2/TinyYolov2Base.ts}
 * ({@code extractBoxes}, {@code detect}) and {@code ops/nonMaxSuppression.ts}.
 *
 * <p>Redmon and Farhadi, "YOLO9000: Better, Faster, Stronger", CVPR 2017 (the box parametrization); the weights
 * are face-api's {@code tiny_face_detector_model}.
 *
 * <p>Calls may come from any thread; the model runs its passes one after the other (the engine's memory contract).
 * Close the detector to free its model.
 */
public final class FaceDetector implements AutoCloseable {

    /** The anchors ({@code tinyFaceDetector/const.ts} BOX_ANCHORS), in grid cells: {x, y}. */
    static final double[][] ANCHORS = {
            {1.603231, 2.094468}, {6.041143, 7.080126}, {2.882459, 3.518061}, {4.266906, 5.178857},
            {9.041765, 10.66308}};

    /** face-api's IoU threshold for TinyFaceDetector ({@code IOU_THRESHOLD}). */
    public static final double IOU_THRESHOLD = 0.4;

    private final int inputSize;
    private final double scoreThreshold;
    private final FaceApiModel model;

    private FaceDetector(Builder b) {
        this.inputSize = b.inputSize;
        this.scoreThreshold = b.scoreThreshold;
        this.model = FaceApiModels.detector(inputSize);
    }

    /** A builder; every setting is optional. */
    public static Builder builder() {
        return new Builder();
    }

    /** The detector network (input {@code [n, 3, inputSize, inputSize]}, output the raw grid). */
    public FaceApiModel model() {
        return model;
    }

    /**
     * Finds the faces in an image.
     *
     * @param image the image
     * @return the faces, highest score first (face-api's order)
     */
    public List<FaceDetection> detect(RgbImage image) {
        Objects.requireNonNull(image, "image must not be null");
        INDArray output = model.outputs(FaceInputs.detectorInput(image, inputSize));
        return decode(output.toFloatVector(), image.width(), image.height(), inputSize, scoreThreshold);
    }

    /**
     * Decodes the raw grid as {@code extractBoxes} and {@code detect} do: sigmoid scores above the threshold, boxes from
     * the anchors, corrected for the square padding, then non-maximum suppression at IoU 0.4 on boxes scaled to the
     * input size.
     *
     * @param grid           the flattened {@code [cells, cells, 5 anchors, 5 fields]} output
     * @param imageWidth     the image width
     * @param imageHeight    the image height
     * @param inputSize      the detector input size
     * @param scoreThreshold the minimum score (exclusive)
     * @return the detections, in the order NMS picks them
     */
    static List<FaceDetection> decode(float[] grid, int imageWidth, int imageHeight, int inputSize,
                                      double scoreThreshold) {
        int anchors = ANCHORS.length;
        int cells = (int) Math.round(Math.sqrt(grid.length / (anchors * 5.0)));
        if (cells * cells * anchors * 5 != grid.length) {
            throw new IllegalArgumentException("grid has " + grid.length + " values, not cells^2 * 25");
        }
        // NetInput.getReshapedInputDimensions: the image scaled so that its longer side is inputSize, rounded.
        double scale = (double) inputSize / Math.max(imageWidth, imageHeight);
        long reshapedWidth = Math.round(imageWidth * scale);
        long reshapedHeight = Math.round(imageHeight * scale);
        double side = Math.max(reshapedWidth, reshapedHeight);
        double correctionX = side / reshapedWidth;
        double correctionY = side / reshapedHeight;
        List<FaceBox> boxes = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (int row = 0; row < cells; row++) {
            for (int col = 0; col < cells; col++) {
                for (int a = 0; a < anchors; a++) {
                    int k = ((row * cells + col) * anchors + a) * 5;
                    double score = sigmoid(grid[k + 4]);
                    if (score > scoreThreshold) {
                        double ctX = ((col + sigmoid(grid[k])) / cells) * correctionX;
                        double ctY = ((row + sigmoid(grid[k + 1])) / cells) * correctionY;
                        double w = ((Math.exp(grid[k + 2]) * ANCHORS[a][0]) / cells) * correctionX;
                        double h = ((Math.exp(grid[k + 3]) * ANCHORS[a][1]) / cells) * correctionY;
                        double x = ctX - w / 2;
                        double y = ctY - h / 2;
                        boxes.add(FaceBox.fromEdges(x, y, x + w, y + h));
                        scores.add(score);
                    }
                }
            }
        }
        List<FaceBox> scaled = boxes.stream().map(b -> b.rescale(inputSize, inputSize)).toList();
        List<FaceDetection> out = new ArrayList<>();
        for (int index : nonMaxSuppression(scaled, scores, IOU_THRESHOLD)) {
            out.add(new FaceDetection(scores.get(index), boxes.get(index).rescale(imageWidth, imageHeight), imageWidth,
                    imageHeight));
        }
        return out;
    }

    /**
     * {@code ops/nonMaxSuppression.ts}: repeatedly pick the highest score (among equal scores the later box, as
     * popping a stably sorted ascending list does) and drop the boxes overlapping it by more than the threshold.
     */
    static List<Integer> nonMaxSuppression(List<FaceBox> boxes, List<Double> scores, double iouThreshold) {
        List<Integer> remaining = new ArrayList<>();
        for (int i = 0; i < scores.size(); i++) {
            remaining.add(i);
        }
        remaining.sort(Comparator.comparingDouble(scores::get)); // List.sort is stable, as JS's Array.sort
        List<Integer> pick = new ArrayList<>();
        while (!remaining.isEmpty()) {
            int current = remaining.remove(remaining.size() - 1);
            pick.add(current);
            List<Integer> kept = new ArrayList<>();
            for (int index : remaining) {
                if (boxes.get(current).iou(boxes.get(index)) <= iouThreshold) {
                    kept.add(index);
                }
            }
            remaining = kept;
        }
        return pick;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Override public void close() {
        model.close();
    }

    @Override public String toString() {
        return "FaceDetector[TinyFaceDetector, inputSize=" + inputSize + ", scoreThreshold=" + scoreThreshold + "]";
    }

    /** Settings of a {@link FaceDetector}. */
    public static final class Builder {
        private int inputSize = FaceApiModels.DETECTOR_INPUT_SIZE;
        private double scoreThreshold = 0.5;

        private Builder() { }

        /**
         * The detector's input size (default 416, face-api's default); larger finds smaller faces.
         *
         * @param inputSize a positive multiple of 32
         * @return this builder
         */
        public Builder optInputSize(int inputSize) {
            this.inputSize = inputSize;
            return this;
        }

        /**
         * The minimum score (default 0.5, face-api's default).
         *
         * @param scoreThreshold in (0, 1)
         * @return this builder
         */
        public Builder optScoreThreshold(double scoreThreshold) {
            this.scoreThreshold = scoreThreshold;
            return this;
        }

        /**
         * Validates the settings and loads the network.
         *
         * @return the detector
         * @throws IllegalArgumentException if a setting is out of range
         */
        public FaceDetector build() {
            if (inputSize <= 0 || inputSize % 32 != 0) {
                throw new IllegalArgumentException("inputSize must be a positive multiple of 32, got " + inputSize);
            }
            if (!(scoreThreshold > 0 && scoreThreshold < 1)) {
                throw new IllegalArgumentException("scoreThreshold must be in (0, 1), got " + scoreThreshold);
            }
            return new FaceDetector(this);
        }
    }
}
