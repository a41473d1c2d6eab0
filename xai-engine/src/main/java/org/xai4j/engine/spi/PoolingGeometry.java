package org.xai4j.engine.spi;

/**
 * One windowed pooling layer's shape on the engine's channels-last arrays, batch size excluded: input
 * {@code [h, w, c]}, output {@code [h, w, c]}, window, stride, and the padding before and after the image on each axis
 * (SAME padding already resolved, so it may be asymmetric). Padded positions never win a maximum; whether they count in
 * an average is the {@link Mode}.
 */
public record PoolingGeometry(long inputHeight, long inputWidth, long channels, long outputHeight, long outputWidth,
                              int kernelHeight, int kernelWidth, int strideY, int strideX,
                              int padTop, int padLeft, int padBottom, int padRight, Mode mode) {

    /** What a window computes. */
    public enum Mode {
        /** The window's maximum. */
        MAX,
        /** The mean of the window's positions inside the image. */
        AVERAGE_EXCLUDING_PADDING,
        /** The window's sum divided by the window's size, padded positions counting as zeros. */
        AVERAGE_INCLUDING_PADDING
    }

    public PoolingGeometry {
        if (mode == null) {
            throw new IllegalArgumentException("pooling mode: expected one of " + java.util.Arrays.toString(Mode.values())
                    + ", got null");
        }
        long[] positive = {inputHeight, inputWidth, channels, outputHeight, outputWidth, kernelHeight, kernelWidth,
                strideY, strideX};
        for (long value : positive) {
            if (value < 1) {
                throw new IllegalArgumentException("pooling geometry " + describe(inputHeight, inputWidth, channels,
                        outputHeight, outputWidth, kernelHeight, kernelWidth, strideY, strideX)
                        + ": sizes and strides must be at least 1");
            }
        }
        if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
            throw new IllegalArgumentException("pooling padding (" + padTop + ", " + padLeft + ", " + padBottom + ", "
                    + padRight + "): expected values >= 0");
        }
        checkAxis("height", inputHeight, outputHeight, kernelHeight, strideY, padTop, padBottom);
        checkAxis("width", inputWidth, outputWidth, kernelWidth, strideX, padLeft, padRight);
    }

    /**
     * The output size must be what the input, window, stride and padding give, and every window must reach the image
     * (a window of padding only has no maximum).
     */
    private static void checkAxis(String axis, long in, long out, int kernel, int stride, int before, int after) {
        long expected = (in + before + after - kernel) / stride + 1;
        if (in + before + after < kernel || expected != out || before >= kernel || after >= kernel) {
            throw new IllegalArgumentException("pooling output " + axis + " " + out + " with padding " + before + "+"
                    + after + ": expected output " + expected + " and padding below the window " + kernel
                    + " for input " + in + ", stride " + stride);
        }
    }

    private static String describe(long ih, long iw, long c, long oh, long ow, int kh, int kw, int sy, int sx) {
        return ih + "x" + iw + "x" + c + " -> " + oh + "x" + ow + "x" + c + ", window " + kh + "x" + kw + ", stride "
                + sy + "x" + sx;
    }

    @Override public String toString() {
        return mode + " " + describe(inputHeight, inputWidth, channels, outputHeight, outputWidth, kernelHeight,
                kernelWidth, strideY, strideX) + ", padding " + padTop + "," + padLeft + "," + padBottom + ","
                + padRight;
    }
}
