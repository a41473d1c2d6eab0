package org.xai4j.engine.spi;

/**
 * One convolution layer's shape on the engine's channels-last arrays, batch size excluded: input {@code [h, w, c]},
 * output {@code [h, w, c]}, kernel, stride, the zero padding before and after the image on each axis (SAME padding
 * already resolved, so it may be asymmetric), and the dilation (1 = none).
 */
public record ConvolutionGeometry(long inputHeight, long inputWidth, long inputChannels,
                                  long outputHeight, long outputWidth, long outputChannels,
                                  int kernelHeight, int kernelWidth, int strideY, int strideX,
                                  int padTop, int padLeft, int padBottom, int padRight,
                                  int dilationY, int dilationX) {

    public ConvolutionGeometry {
        long[] positive = {inputHeight, inputWidth, inputChannels, outputHeight, outputWidth, outputChannels,
                kernelHeight, kernelWidth, strideY, strideX, dilationY, dilationX};
        for (long value : positive) {
            if (value < 1) {
                throw new IllegalArgumentException("convolution geometry " + describe(inputHeight, inputWidth,
                        inputChannels, outputHeight, outputWidth, outputChannels, kernelHeight, kernelWidth, strideY,
                        strideX) + ": sizes, strides and dilations must be at least 1");
            }
        }
        if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
            throw new IllegalArgumentException("convolution padding (" + padTop + ", " + padLeft + ", " + padBottom
                    + ", " + padRight + "): expected values >= 0");
        }
        checkAxis("height", inputHeight, outputHeight, kernelHeight, strideY, padTop, padBottom, dilationY);
        checkAxis("width", inputWidth, outputWidth, kernelWidth, strideX, padLeft, padRight, dilationX);
    }

    /** The output size must be what the input, kernel, stride and padding give, or the kernels would read past it. */
    private static void checkAxis(String axis, long in, long out, int kernel, int stride, int before, int after,
                                  int dilation) {
        long reach = (long) (kernel - 1) * dilation + 1;
        long expected = (in + before + after - reach) / stride + 1;
        if (in + before + after < reach || expected != out) {
            throw new IllegalArgumentException("convolution output " + axis + " " + out + ": expected " + expected
                    + " for input " + in + ", kernel " + kernel + ", stride " + stride + ", padding " + before + "+"
                    + after + ", dilation " + dilation);
        }
    }

    private static String describe(long ih, long iw, long ic, long oh, long ow, long oc, int kh, int kw, int sy,
                                   int sx) {
        return ih + "x" + iw + "x" + ic + " -> " + oh + "x" + ow + "x" + oc + ", kernel " + kh + "x" + kw + ", stride "
                + sy + "x" + sx;
    }

    /** Multiply-accumulates of one image's forward pass (the input gradient does as many). */
    public double multiplyAccumulatesPerImage() {
        return (double) outputHeight * outputWidth * outputChannels * inputChannels * kernelHeight * kernelWidth;
    }

    @Override public String toString() {
        return describe(inputHeight, inputWidth, inputChannels, outputHeight, outputWidth, outputChannels,
                kernelHeight, kernelWidth, strideY, strideX) + ", padding " + padTop + "," + padLeft + "," + padBottom
                + "," + padRight + ", dilation " + dilationY + "x" + dilationX;
    }
}
