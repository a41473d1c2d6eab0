package org.xai4j.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * One layer (vertex) of an image network, described independently of the framework it came from. Weights are held as
 * given; the model copies and converts them when it is built. Which layers a layer reads is recorded by its
 * {@link NetworkSpec}; {@link ElementWise} and {@link Concat} read two or more, every other kind exactly one.
 */
public sealed interface LayerSpec {

    /** The layer's name, unique within the network; its output can be read under this name. */
    String name();

    /**
     * 2-D convolution over NCHW activations.
     *
     * @param name        the layer name
     * @param weights     {@code [outChannels, inChannels, kernelHeight, kernelWidth]}
     * @param bias        {@code [outChannels]}, or null for none
     * @param stride      {@code [height, width]}
     * @param padding     explicit zero padding {@code [height, width]}; ignored when {@code samePadding}
     * @param dilation    {@code [height, width]}
     * @param samePadding TensorFlow/Keras "same" padding: output size = ceil(input / stride)
     * @param activation  applied after the bias
     * @param alpha       parameter of the activation ({@link ActivationFunction#usesAlpha()}), otherwise unused
     */
    record Convolution(String name, INDArray weights, INDArray bias, int[] stride, int[] padding, int[] dilation,
                       boolean samePadding, ActivationFunction activation, double alpha) implements LayerSpec {
        /** Checks the weights' rank and that the activation is not softmax. */
        public Convolution {
            if (weights == null || weights.rank() != 4) {
                throw new IllegalArgumentException("convolution '" + name + "' needs rank-4 weights [out, in, kH, kW], got "
                        + (weights == null ? "null" : Arrays.toString(weights.shape())));
            }
            if (activation == ActivationFunction.SOFTMAX) {
                throw new IllegalArgumentException("convolution '" + name + "' cannot use a softmax activation");
            }
        }

        @Override public String toString() {
            return "Convolution[" + name + ", weights=" + Arrays.toString(weights.shape()) + ", stride="
                    + Arrays.toString(stride) + ", same=" + samePadding + ", " + activation + "]";
        }
    }

    /**
     * Max or average pooling over NCHW activations.
     *
     * @param name                   the layer name
     * @param type                   max or average
     * @param kernel                 window {@code [height, width]}
     * @param stride                 {@code [height, width]}
     * @param padding                explicit zero padding {@code [height, width]}; ignored when {@code samePadding}
     * @param samePadding            TensorFlow/Keras "same" padding
     * @param averageIncludesPadding for average pooling, whether padded positions count in the divisor
     */
    record Pooling(String name, PoolingType type, int[] kernel, int[] stride, int[] padding, boolean samePadding,
                   boolean averageIncludesPadding) implements LayerSpec {
        @Override public String toString() {
            return "Pooling[" + name + ", " + type + ", kernel=" + Arrays.toString(kernel) + ", stride="
                    + Arrays.toString(stride) + "]";
        }
    }

    /**
     * Pooling over all spatial positions: {@code [n, c, h, w] -> [n, c]}.
     *
     * @param name the layer name
     * @param type max or average
     */
    record GlobalPooling(String name, PoolingType type) implements LayerSpec { }

    /**
     * Fully connected layer.
     *
     * @param name       the layer name
     * @param weights    {@code [inputs, outputs]}
     * @param bias       {@code [outputs]} or null
     * @param activation applied after the bias
     * @param alpha      parameter of the activation ({@link ActivationFunction#usesAlpha()}), otherwise unused
     */
    record Dense(String name, INDArray weights, INDArray bias, ActivationFunction activation, double alpha)
            implements LayerSpec {
        /** Checks the weights' rank. */
        public Dense {
            if (weights == null || weights.rank() != 2) {
                throw new IllegalArgumentException("dense layer '" + name + "' needs rank-2 weights [in, out], got "
                        + (weights == null ? "null" : Arrays.toString(weights.shape())));
            }
        }

        @Override public String toString() {
            return "Dense[" + name + ", weights=" + Arrays.toString(weights.shape()) + ", " + activation + "]";
        }
    }

    /**
     * A per-channel affine map {@code y = x * scale[c] + shift[c]} followed by an activation: batch normalization
     * at inference time (scale = gamma / sqrt(var + eps), shift = beta - mean * scale), or a preprocessing step.
     *
     * @param name       the layer name
     * @param scale      {@code [channels]} (or {@code [features]} after a flatten)
     * @param shift      same shape as {@code scale}
     * @param activation applied after the shift
     * @param alpha      parameter of the activation ({@link ActivationFunction#usesAlpha()}), otherwise unused
     */
    record ChannelAffine(String name, INDArray scale, INDArray shift, ActivationFunction activation, double alpha)
            implements LayerSpec {
        @Override public String toString() {
            return "ChannelAffine[" + name + ", channels=" + scale.length() + ", " + activation + "]";
        }
    }

    /**
     * A stand-alone activation layer.
     *
     * @param name     the layer name
     * @param function the activation
     * @param alpha    parameter of the activation ({@link ActivationFunction#usesAlpha()}), otherwise unused
     */
    record Activation(String name, ActivationFunction function, double alpha) implements LayerSpec { }

    /**
     * Reorders the channels of an NCHW activation: output channel i is input channel {@code order[i]} (e.g. RGB to
     * BGR).
     *
     * @param name  the layer name
     * @param order a permutation of the channel indices
     */
    record ChannelOrder(String name, int[] order) implements LayerSpec {
        @Override public String toString() { return "ChannelOrder[" + name + ", " + Arrays.toString(order) + "]"; }
    }

    /**
     * Flattens {@code [n, c, h, w]} to {@code [n, c*h*w]}. With {@code channelsLast} the order is (h, w, c), as a
     * Keras model trained on channels-last data flattens, so imported dense weights line up.
     *
     * @param name         the layer name
     * @param channelsLast whether to flatten in (h, w, c) order
     */
    record Flatten(String name, boolean channelsLast) implements LayerSpec { }

    /**
     * A layer that is the identity at inference time (dropout); kept so that its name stays readable.
     *
     * @param name the layer name
     */
    record Identity(String name) implements LayerSpec { }

    /**
     * Depthwise 2-D convolution: input channel {@code c} is convolved with its own {@code multiplier} kernels, giving
     * output channels {@code c * multiplier + m} (the order of TensorFlow, Keras and DL4J).
     *
     * @param name        the layer name
     * @param weights     {@code [kernelHeight, kernelWidth, inChannels, multiplier]}
     * @param bias        {@code [inChannels * multiplier]}, or null for none
     * @param stride      {@code [height, width]}
     * @param padding     explicit zero padding {@code [height, width]}; ignored when {@code samePadding}
     * @param dilation    {@code [height, width]}
     * @param samePadding TensorFlow/Keras "same" padding: output size = ceil(input / stride)
     * @param activation  applied after the bias
     * @param alpha       parameter of the activation ({@link ActivationFunction#usesAlpha()}), otherwise unused
     */
    record DepthwiseConvolution(String name, INDArray weights, INDArray bias, int[] stride, int[] padding,
                                int[] dilation, boolean samePadding, ActivationFunction activation, double alpha)
            implements LayerSpec {
        /** Checks the weights' rank and that the activation is not softmax. */
        public DepthwiseConvolution {
            if (weights == null || weights.rank() != 4) {
                throw new IllegalArgumentException("depthwise convolution '" + name + "' needs rank-4 weights "
                        + "[kH, kW, in, multiplier], got " + (weights == null ? "null" : Arrays.toString(weights.shape())));
            }
            if (activation == ActivationFunction.SOFTMAX) {
                throw new IllegalArgumentException("depthwise convolution '" + name + "' cannot use a softmax activation");
            }
        }

        @Override public String toString() {
            return "DepthwiseConvolution[" + name + ", weights=" + Arrays.toString(weights.shape()) + ", stride="
                    + Arrays.toString(stride) + ", same=" + samePadding + ", " + activation + "]";
        }
    }

    /**
     * Zero padding of the spatial dimensions.
     *
     * @param name    the layer name
     * @param padding {@code [top, bottom, left, right]}, each at least 0
     */
    record ZeroPadding(String name, int[] padding) implements LayerSpec {
        /** Checks the padding. */
        public ZeroPadding {
            if (padding == null || padding.length != 4 || Arrays.stream(padding).anyMatch(p -> p < 0)) {
                throw new IllegalArgumentException("zero padding '" + name + "' needs [top, bottom, left, right] >= 0, got "
                        + Arrays.toString(padding));
            }
            padding = padding.clone();
        }

        @Override public String toString() { return "ZeroPadding[" + name + ", " + Arrays.toString(padding) + "]"; }
    }

    /**
     * Cropping of the spatial dimensions.
     *
     * @param name     the layer name
     * @param cropping {@code [top, bottom, left, right]}, each at least 0
     */
    record Cropping(String name, int[] cropping) implements LayerSpec {
        /** Checks the cropping. */
        public Cropping {
            if (cropping == null || cropping.length != 4 || Arrays.stream(cropping).anyMatch(p -> p < 0)) {
                throw new IllegalArgumentException("cropping '" + name + "' needs [top, bottom, left, right] >= 0, got "
                        + Arrays.toString(cropping));
            }
            cropping = cropping.clone();
        }

        @Override public String toString() { return "Cropping[" + name + ", " + Arrays.toString(cropping) + "]"; }
    }

    /**
     * Nearest-neighbour upsampling: every position repeated {@code size[0]} times down and {@code size[1]} across.
     *
     * @param name the layer name
     * @param size {@code [height, width]} factors, each at least 1
     */
    record Upsampling(String name, int[] size) implements LayerSpec {
        /** Checks the factors. */
        public Upsampling {
            if (size == null || size.length != 2 || size[0] < 1 || size[1] < 1) {
                throw new IllegalArgumentException("upsampling '" + name + "' needs [height, width] factors >= 1, got "
                        + Arrays.toString(size));
            }
            size = size.clone();
        }

        @Override public String toString() { return "Upsampling[" + name + ", " + Arrays.toString(size) + "]"; }
    }

    /**
     * An element-wise combination of two or more inputs of the same shape.
     *
     * @param name the layer name
     * @param op   the combination
     */
    record ElementWise(String name, ElementWiseOp op) implements LayerSpec { }

    /**
     * Concatenation of two or more inputs along the channel (feature) dimension; their other dimensions must agree.
     *
     * @param name the layer name
     */
    record Concat(String name) implements LayerSpec { }

    /**
     * A scalar affine map {@code y = x * scale + shift} (DL4J's scale and shift vertices).
     *
     * @param name  the layer name
     * @param scale the factor
     * @param shift the offset
     */
    record ScalarAffine(String name, double scale, double shift) implements LayerSpec { }

    /**
     * L2 normalization of each example over all its dimensions: {@code y = x / max(||x||, epsilon)}.
     *
     * @param name    the layer name
     * @param epsilon the smallest norm divided by, against division by zero
     */
    record L2Normalize(String name, double epsilon) implements LayerSpec { }

    /**
     * Clamps every value to {@code [min, max]} (ONNX {@code Clip}; PyTorch's ReLU6 is {@code [0, 6]}). The input
     * gradient is 1 strictly inside the interval and 0 elsewhere, as PyTorch's {@code hardtanh} backward.
     *
     * @param name the layer name
     * @param min  the lower bound ({@code Double.NEGATIVE_INFINITY} for none)
     * @param max  the upper bound ({@code Double.POSITIVE_INFINITY} for none), at least {@code min}
     */
    record Clip(String name, double min, double max) implements LayerSpec {
        /** Checks the bounds. */
        public Clip {
            if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
                throw new IllegalArgumentException("clip '" + name + "' needs min <= max, got [" + min + ", " + max + "]");
            }
        }
    }

    /**
     * ONNX's hard sigmoid {@code max(0, min(1, alpha x + beta))}; PyTorch's {@code Hardsigmoid} is alpha 1/6,
     * beta 1/2 (the engine's {@link ActivationFunction#HARD_SIGMOID} is Keras' alpha 0.2).
     *
     * @param name  the layer name
     * @param alpha the slope
     * @param beta  the offset
     */
    record HardSigmoid(String name, double alpha, double beta) implements LayerSpec { }

    /**
     * Hard swish {@code x * max(0, min(1, x / 6 + 1/2))} (Howard et al., "Searching for MobileNetV3", ICCV 2019).
     *
     * @param name the layer name
     */
    record HardSwish(String name) implements LayerSpec { }

    /**
     * An element-wise binary operation of two inputs whose per-example shapes broadcast as NumPy broadcasts them:
     * equal rank, and each dimension equal or 1 in one of them (a squeeze-and-excitation scale {@code [c, 1, 1]}
     * times a feature map {@code [c, h, w]}). The gradient of a broadcast input is summed over the dimensions it was
     * repeated along.
     *
     * @param name the layer name
     * @param op   the operation; the first input is the left operand
     */
    record Broadcast(String name, BroadcastOp op) implements LayerSpec { }

    /**
     * The channels (features) {@code [start, end)} of the input: ONNX {@code Split} and {@code Slice} along the
     * channel axis (ShuffleNet's channel split).
     *
     * @param name  the layer name
     * @param start the first channel kept, at least 0
     * @param end   one past the last channel kept, greater than {@code start}
     */
    record ChannelSlice(String name, int start, int end) implements LayerSpec {
        /** Checks the range. */
        public ChannelSlice {
            if (start < 0 || end <= start) {
                throw new IllegalArgumentException("channel slice '" + name + "' needs 0 <= start < end, got [" + start
                        + ", " + end + ")");
            }
        }
    }

    /**
     * Padding of the spatial dimensions with a constant: negative infinity before a max pooling that pads
     * asymmetrically or rounds its output size up (ONNX {@code ceil_mode}), so padded positions never win.
     *
     * @param name    the layer name
     * @param padding {@code [top, bottom, left, right]}, each at least 0
     * @param value   the value of the padded positions (not NaN)
     */
    record ConstantPadding(String name, int[] padding, double value) implements LayerSpec {
        /** Checks and copies the padding. */
        public ConstantPadding {
            if (padding == null || padding.length != 4 || Arrays.stream(padding).anyMatch(p -> p < 0)
                    || Double.isNaN(value)) {
                throw new IllegalArgumentException("constant padding '" + name + "' needs [top, bottom, left, right] >= 0 "
                        + "and a value that is not NaN, got " + Arrays.toString(padding) + " and " + value);
            }
            padding = padding.clone();
        }

        @Override public int[] padding() { return padding.clone(); }

        @Override public String toString() {
            return "ConstantPadding[" + name + ", " + Arrays.toString(padding) + ", " + value + "]";
        }
    }

    /**
     * The mean over the channels (features) at each position: {@code [c, h, w] -> [1, h, w]}, {@code [f] -> [1]}. With
     * {@link Broadcast} and {@link UnaryMath} it builds a layer normalization over channels (ConvNeXt's LayerNorm).
     *
     * @param name the layer name
     */
    record ChannelMean(String name) implements LayerSpec { }

    /**
     * An element-wise function without parameters other than an exponent.
     *
     * @param name     the layer name
     * @param function the function
     * @param exponent the exponent of {@link MathFunction#POWER}, otherwise unused
     */
    record UnaryMath(String name, MathFunction function, double exponent) implements LayerSpec {
        /** Checks the exponent. */
        public UnaryMath {
            if (function == null || function == MathFunction.POWER && !Double.isFinite(exponent)) {
                throw new IllegalArgumentException("unary math '" + name + "' needs a function and, for POWER, a finite "
                        + "exponent, got " + function + " and " + exponent);
            }
        }
    }

    /** Element-wise functions of {@link UnaryMath}. */
    enum MathFunction {
        /** {@code sqrt(x)}; gradient {@code 1 / (2 sqrt(x))}. */
        SQRT,
        /** The error function; gradient {@code 2 / sqrt(pi) exp(-x^2)} (GELU is {@code x (1 + erf(x / sqrt 2)) / 2}). */
        ERF,
        /** {@code x^p}; gradient {@code p x^(p - 1)}. */
        POWER
    }

    /** Binary operations with broadcasting. */
    enum BroadcastOp {
        /** {@code a + b}. */
        ADD,
        /** {@code a - b}. */
        SUBTRACT,
        /** {@code a * b}. */
        MULTIPLY,
        /** {@code a / b}. */
        DIVIDE
    }

    /** Element-wise combinations of several inputs. */
    enum ElementWiseOp {
        /** The sum of the inputs. */
        ADD,
        /** The first input minus the second (exactly two inputs). */
        SUBTRACT,
        /** The product of the inputs. */
        PRODUCT,
        /** The mean of the inputs. */
        AVERAGE,
        /** The maximum of the inputs; the gradient goes to the first input holding it. */
        MAX
    }

    /** Pooling operators. */
    enum PoolingType {
        /** The maximum over the window. */
        MAX,
        /** The mean over the window. */
        AVG
    }
}
