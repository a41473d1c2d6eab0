package org.xai4j.faceapi;

/**
 * An axis-aligned box in pixels, as face-api's {@code Box} ({@code classes/Box.ts}) computes with it: top-left corner
 * and size, in double precision (JavaScript numbers).
 *
 * @param x      the left edge
 * @param y      the top edge
 * @param width  the width
 * @param height the height
 */
public record FaceBox(double x, double y, double width, double height) {

    /** Checks that the values are finite. */
    public FaceBox {
        if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(width) || !Double.isFinite(height)) {
            throw new IllegalArgumentException("box values must be finite, got x=" + x + ", y=" + y + ", width=" + width
                    + ", height=" + height);
        }
    }

    /** A box from its edges. */
    public static FaceBox fromEdges(double left, double top, double right, double bottom) {
        return new FaceBox(left, top, right - left, bottom - top);
    }

    /** The right edge. */
    public double right() {
        return x + width;
    }

    /** The bottom edge. */
    public double bottom() {
        return y + height;
    }

    /** The area. */
    public double area() {
        return width * height;
    }

    /** Every coordinate multiplied: {@code Box.rescale}. */
    public FaceBox rescale(double sx, double sy) {
        return new FaceBox(x * sx, y * sy, width * sx, height * sy);
    }

    /** Grown by {@code padX} and {@code padY} in total, centered: {@code Box.pad}. */
    public FaceBox pad(double padX, double padY) {
        return new FaceBox(x - padX / 2, y - padY / 2, width + padX, height + padY);
    }

    /** Every value rounded down: {@code Box.floor}. */
    public FaceBox floor() {
        return new FaceBox(Math.floor(x), Math.floor(y), Math.floor(width), Math.floor(height));
    }

    /**
     * The part inside an image, rounded down to whole pixels: {@code Box.clipAtImageBorders}, the region face-api cuts
     * out of the image for a face.
     *
     * @param imageWidth  the image width
     * @param imageHeight the image height
     * @return the clipped box
     */
    public FaceBox clipAtImageBorders(int imageWidth, int imageHeight) {
        double clippedX = Math.max(x, 0);
        double clippedY = Math.max(y, 0);
        double clippedWidth = Math.min(right() - clippedX, imageWidth - clippedX);
        double clippedHeight = Math.min(bottom() - clippedY, imageHeight - clippedY);
        return new FaceBox(clippedX, clippedY, clippedWidth, clippedHeight).floor();
    }

    /**
     * Intersection over union ({@code ops/iou.ts}).
     *
     * @param other another box
     * @return the IoU, 0 for disjoint boxes
     */
    public double iou(FaceBox other) {
        double w = Math.max(0.0, Math.min(right(), other.right()) - Math.max(x, other.x));
        double h = Math.max(0.0, Math.min(bottom(), other.bottom()) - Math.max(y, other.y));
        double intersection = w * h;
        return intersection / (area() + other.area() - intersection);
    }

    @Override public String toString() {
        return String.format(java.util.Locale.ROOT, "FaceBox[x=%.2f, y=%.2f, w=%.2f, h=%.2f]", x, y, width, height);
    }
}
