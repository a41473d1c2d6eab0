package org.xai4j.engine;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The mean over channels and element-wise math (square root, error function, powers): ONNX's layer-norm pieces. */
final class MathNodes {

    private MathNodes() { }

    /** Mean over the channel axis (the engine's last), kept as an axis of size 1. */
    static final class ChannelMean extends Node.Unary {

        ChannelMean(String input, String output, long[] shape) {
            super(input, output, shape, reduced(shape));
        }

        private static long[] reduced(long[] shape) {
            long[] out = shape.clone();
            out[0] = 1;
            return out;
        }

        @Override String operation() {
            return "channel mean";
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            return sd.mean(output, in, true, 1);
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            return in.mean(true, channelAxis(in));
        }

        @Override INDArray backward(INDArray gradOutput, INDArray unused) {
            INDArray gradInput = Nd4j.zeros(gradOutput.dataType(), withBatch(gradOutput.size(0), inputShape));
            return gradInput.addi(gradOutput.div(inputShape[0]));
        }
    }

    /** {@code sqrt}, {@code erf} or {@code x^p}, element-wise. */
    static final class UnaryMath extends Node.Unary {
        private final LayerSpec.MathFunction function;
        private final double exponent;

        UnaryMath(String input, String output, long[] shape, LayerSpec.MathFunction function, double exponent) {
            super(input, output, shape, shape);
            this.function = function;
            this.exponent = exponent;
        }

        @Override boolean outputMayAliasInput() {
            return true;
        }

        @Override String operation() {
            return function.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            return switch (function) {
                case SQRT -> sd.math.sqrt(output, in);
                case ERF -> sd.math.erf(output, in);
                case POWER -> sd.math.pow(output, in, exponent);
            };
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            INDArray out = mayOverwriteInput ? in : in.dup();
            return switch (function) {
                case SQRT -> Transforms.sqrt(out, false);
                case ERF -> Nd4j.exec(new Erf(out, out));
                case POWER -> Transforms.pow(out, exponent, false);
            };
        }

        @Override String backwardNeed() {
            return input;
        }

        @Override INDArray backward(INDArray gradOutput, INDArray x) {
            INDArray derivative = switch (function) {
                case SQRT -> Transforms.sqrt(x, true).muli(2).rdivi(1.0);
                case ERF -> Transforms.exp(x.mul(x).negi(), false).muli(2 / Math.sqrt(Math.PI));
                case POWER -> Transforms.pow(x, exponent - 1, true).muli(exponent);
            };
            return gradOutput.muli(derivative);
        }
    }
}
