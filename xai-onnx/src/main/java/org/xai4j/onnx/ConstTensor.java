package org.xai4j.onnx;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * A tensor whose values are known at import: an initializer, a {@code Constant} node, or the result of folding a
 * shape computation. Integer tensors keep exact {@code long} values (an int64 "end of axis" is 2^63 - 1, which a
 * double cannot hold); floating-point ones are kept as doubles.
 */
final class ConstTensor {

    final long[] shape;
    final long[] ints;
    final double[] doubles;

    private ConstTensor(long[] shape, long[] ints, double[] doubles) {
        this.shape = shape;
        this.ints = ints;
        this.doubles = doubles;
    }

    static ConstTensor ofLongs(long[] shape, long[] values) {
        return new ConstTensor(shape.clone(), values, null);
    }

    static ConstTensor ofDoubles(long[] shape, double[] values) {
        return new ConstTensor(shape.clone(), null, values);
    }

    boolean isInteger() {
        return ints != null;
    }

    int size() {
        return isInteger() ? ints.length : doubles.length;
    }

    int rank() {
        return shape.length;
    }

    double getDouble(int i) {
        return isInteger() ? ints[i] : doubles[i];
    }

    long getLong(int i) {
        return isInteger() ? ints[i] : (long) doubles[i];
    }

    long[] longs() {
        long[] out = new long[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    double[] asDoubles() {
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    /** The values as a double-precision array of this shape. */
    INDArray toArray() {
        return Nd4j.create(asDoubles(), shape.length == 0 ? new long[] {1} : shape, DataType.DOUBLE);
    }

    /** The same values as a new integer or floating-point tensor. */
    ConstTensor cast(boolean integer) {
        if (integer == isInteger()) {
            return this;
        }
        return integer ? ofLongs(shape, longs()) : ofDoubles(shape, asDoubles());
    }

    ConstTensor reshape(long[] newShape) {
        return isInteger() ? ofLongs(newShape, ints) : ofDoubles(newShape, doubles);
    }

    @Override public String toString() {
        String values = size() <= 8 ? (isInteger() ? Arrays.toString(ints) : Arrays.toString(doubles)) : "...";
        return "ConstTensor" + Arrays.toString(shape) + values;
    }
}
