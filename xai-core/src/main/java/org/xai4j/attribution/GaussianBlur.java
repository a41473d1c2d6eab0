package org.xai4j.attribution;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Separable Gaussian blur of NCHW images with reflected borders. */
final class GaussianBlur {

    private GaussianBlur() { }

    static INDArray blur(INDArray images, double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            kernel[k + radius] = Math.exp(-0.5 * k * k / (sigma * sigma));
            sum += kernel[k + radius];
        }
        for (int k = 0; k < kernel.length; k++) {
            kernel[k] /= sum;
        }
        long[] shape = images.shape();
        int n = (int) shape[0];
        int c = (int) shape[1];
        int h = (int) shape[2];
        int w = (int) shape[3];
        double[] data = images.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] tmp = new double[h * w];
        for (int plane = 0; plane < n * c; plane++) {
            int base = plane * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double acc = 0;
                    for (int k = -radius; k <= radius; k++) {
                        acc += kernel[k + radius] * data[base + y * w + reflect(x + k, w)];
                    }
                    tmp[y * w + x] = acc;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double acc = 0;
                    for (int k = -radius; k <= radius; k++) {
                        acc += kernel[k + radius] * tmp[reflect(y + k, h) * w + x];
                    }
                    data[base + y * w + x] = acc;
                }
            }
        }
        return Nd4j.create(data, shape).castTo(images.dataType());
    }

    /** Reflects an index into [0, size), mirroring at the borders without repeating the edge (like numpy 'reflect'). */
    static int reflect(int i, int size) {
        if (size == 1) {
            return 0;
        }
        int period = 2 * (size - 1);
        int m = Math.floorMod(i, period);
        return m < size ? m : period - m;
    }
}
