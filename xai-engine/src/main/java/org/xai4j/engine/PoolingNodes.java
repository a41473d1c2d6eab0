package org.xai4j.engine;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/** Windowed and global pooling. */
final class PoolingNodes {

    private PoolingNodes() { }

    /** Max or average pooling. */
    static final class Pooling extends Node.Unary {
        private final LayerSpec.Pooling spec;

        Pooling(String input, String output, long[] inShape, long[] outShape, LayerSpec.Pooling spec) {
            super(input, output, inShape, outShape);
            this.spec = spec;
        }

        @Override String operation() {
            return spec.type() == LayerSpec.PoolingType.MAX ? "max pooling" : "average pooling";
        }

        /** Whether this is max pooling, for backward modes with a rule of their own for it ({@link BackwardMode}). */
        boolean isMax() {
            return spec.type() == LayerSpec.PoolingType.MAX;
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            Pooling2DConfig config = Pooling2DConfig.builder()
                    .kH(spec.kernel()[0]).kW(spec.kernel()[1]).sH(spec.stride()[0]).sW(spec.stride()[1])
                    .pH(spec.samePadding() ? 0 : spec.padding()[0]).pW(spec.samePadding() ? 0 : spec.padding()[1])
                    .dH(1).dW(1)
                    .paddingMode(spec.samePadding() ? PaddingMode.SAME : PaddingMode.VALID)
                    .type(spec.type() == LayerSpec.PoolingType.MAX ? Pooling2D.Pooling2DType.MAX : Pooling2D.Pooling2DType.AVG)
                    .divisor(spec.averageIncludesPadding() ? Pooling2D.Divisor.INCLUDE_PADDING : Pooling2D.Divisor.EXCLUDE_PADDING)
                    .isNHWC(false).build();
            return spec.type() == LayerSpec.PoolingType.MAX
                    ? sd.cnn.maxPooling2d(output, in, config)
                    : sd.cnn.avgPooling2d(output, in, config);
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            INDArray out = Nd4j.createUninitialized(in.dataType(), withBatch(in.size(0), outputShape));
            boolean max = spec.type() == LayerSpec.PoolingType.MAX;
            Nd4j.exec(DynamicCustomOp.builder(max ? "maxpool2d" : "avgpool2d")
                    .addInputs(in)
                    .addOutputs(out)
                    .addIntegerArguments(integerArguments())
                    .build());
            return out;
        }

        private int[] integerArguments() {
            boolean max = spec.type() == LayerSpec.PoolingType.MAX;
            int extra = max ? 0 : (spec.averageIncludesPadding() ? 1 : 0);
            return new int[] {spec.kernel()[0], spec.kernel()[1], spec.stride()[0], spec.stride()[1],
                    spec.samePadding() ? 0 : spec.padding()[0], spec.samePadding() ? 0 : spec.padding()[1],
                    1, 1, spec.samePadding() ? 1 : 0, extra, 1};
        }

        @Override String backwardNeed() {
            return input;
        }

        @Override INDArray backward(INDArray gradOutput, INDArray forwardInput) {
            INDArray gradInput = Nd4j.create(gradOutput.dataType(), forwardInput.shape());
            boolean max = spec.type() == LayerSpec.PoolingType.MAX;
            Nd4j.exec(DynamicCustomOp.builder(max ? "maxpool2d_bp" : "avgpool2d_bp")
                    .addInputs(forwardInput, gradOutput)
                    .addOutputs(gradInput)
                    .addIntegerArguments(integerArguments())
                    .build());
            return gradInput;
        }
    }

    /** Global max or average pooling, [n,c,h,w] to [n,c]. */
    static final class GlobalPooling extends Node.Unary {
        private final LayerSpec.PoolingType type;

        GlobalPooling(String input, String output, long[] inShape, LayerSpec.PoolingType type) {
            super(input, output, inShape, new long[] {inShape[0]});
            this.type = type;
        }

        /** Whether this is global max pooling, for backward modes with a rule of their own for it. */
        boolean isMax() {
            return type == LayerSpec.PoolingType.MAX;
        }

        @Override SDVariable forward(SameDiff sd, SDVariable in) {
            return type == LayerSpec.PoolingType.MAX ? sd.max(output, in, 2, 3) : sd.mean(output, in, 2, 3);
        }

        @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
            return type == LayerSpec.PoolingType.MAX ? in.max(1, 2) : in.mean(1, 2);
        }

        @Override String backwardNeed() {
            return type == LayerSpec.PoolingType.MAX ? input : null;
        }

        @Override INDArray backward(INDArray gradOutput, INDArray forwardInput) {
            long n = gradOutput.size(0);
            long positions = inputShape[1] * inputShape[2];
            INDArray grad4 = gradOutput.reshape(n, 1, 1, inputShape[0]);
            if (type == LayerSpec.PoolingType.AVG) {
                return Nd4j.zeros(gradOutput.dataType(), withBatch(n, inputShape)).addi(grad4.div(positions));
            }
            // Ties split nothing: every maximal position gets the gradient, as for a sub-gradient choice.
            INDArray max = forwardInput.max(true, 1, 2);
            INDArray mask = forwardInput.eq(max).castTo(gradOutput.dataType());
            return mask.muli(grad4);
        }
    }
}
