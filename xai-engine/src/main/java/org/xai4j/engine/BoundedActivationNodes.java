package org.xai4j.engine;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Activations with bounds and parameters as ONNX defines them: {@code Clip}, {@code HardSigmoid} with its alpha and
 * beta, and {@code HardSwish}. At the kinks the gradient follows PyTorch (0 at the bounds themselves), so attributions
 * agree with Captum's on the same model.
 */
final class BoundedActivationNodes {

    private BoundedActivationNodes() { }

    /** 1 where {@code low < x < high}, else 0, in {@code x}'s data type. */
    static INDArray inside(INDArray x, double low, double high) {
        return x.gt(low).castTo(x.dataType()).muli(x.lt(high).castTo(x.dataType()));
    }

    /** {@code min(max(x, min), max)}. */
    static final class Clip extends Node.Unary {
        private final double min;
        private final double max;

        Clip(String input, String output, long[] shape, double min, double max) {
            super(input, output, shape, shape);
            this.min = min;
            this.max = max;
        }

        @Override boolean outputMayAliasInput() {
            return true;
        }

        @Override String operation() {
            return "clip";
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            return sd.math.clipByValue(output, in, min, max);
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            INDArray out = mayOverwriteInput ? in : in.dup();
            if (min != Double.NEGATIVE_INFINITY) {
                Transforms.max(out, min, false);
            }
            if (max != Double.POSITIVE_INFINITY) {
                Transforms.min(out, max, false);
            }
            return out;
        }

        @Override String backwardNeed() {
            return input;
        }

        @Override INDArray backward(INDArray gradOutput, INDArray forwardInput) {
            return gradOutput.muli(inside(forwardInput, min, max));
        }
    }

    /** {@code max(0, min(1, alpha x + beta))}. */
    static final class HardSigmoid extends Node.Unary {
        private final double alpha;
        private final double beta;

        HardSigmoid(String input, String output, long[] shape, double alpha, double beta) {
            super(input, output, shape, shape);
            this.alpha = alpha;
            this.beta = beta;
        }

        @Override boolean outputMayAliasInput() {
            return true;
        }

        @Override String operation() {
            return "hard sigmoid";
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            return sd.math.clipByValue(output, in.mul(alpha).add(beta), 0.0, 1.0);
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            INDArray out = (mayOverwriteInput ? in.muli(alpha) : in.mul(alpha)).addi(beta);
            return Transforms.min(Transforms.max(out, 0.0, false), 1.0, false);
        }

        @Override String backwardNeed() {
            return input;
        }

        @Override INDArray backward(INDArray gradOutput, INDArray forwardInput) {
            INDArray linear = forwardInput.mul(alpha).addi(beta);
            return gradOutput.muli(inside(linear, 0.0, 1.0).muli(alpha));
        }
    }

    /** {@code x * max(0, min(1, x / 6 + 1/2))}; derivative {@code x / 3 + 1/2} on {@code [-3, 3]}, 0 below, 1 above. */
    static final class HardSwish extends Node.Unary {

        HardSwish(String input, String output, long[] shape) {
            super(input, output, shape, shape);
        }

        @Override boolean outputMayAliasInput() {
            return true;
        }

        @Override String operation() {
            return "hard swish";
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            return in.mul(output, sd.math.clipByValue(in.div(6.0).add(0.5), 0.0, 1.0));
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            INDArray gate = Transforms.min(Transforms.max(in.div(6.0).addi(0.5), 0.0, false), 1.0, false);
            return mayOverwriteInput ? in.muli(gate) : in.mul(gate);
        }

        @Override String backwardNeed() {
            return input;
        }

        @Override INDArray backward(INDArray gradOutput, INDArray x) {
            // PyTorch's hardswish_backward: 0 for x < -3, x / 3 + 1/2 for -3 <= x <= 3, 1 above.
            INDArray middle = x.gte(-3.0).castTo(x.dataType()).muli(x.lte(3.0).castTo(x.dataType()));
            INDArray above = x.gt(3.0).castTo(x.dataType());
            INDArray slope = x.div(3.0).addi(0.5).muli(middle).addi(above);
            return gradOutput.muli(slope);
        }
    }
}
