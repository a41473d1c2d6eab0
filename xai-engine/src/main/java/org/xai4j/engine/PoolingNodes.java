package org.xai4j.engine;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.xai4j.engine.spi.PoolingGeometry;
import org.xai4j.engine.spi.PoolingKernel;

/** Windowed and global pooling. */
final class PoolingNodes {

    private PoolingNodes() { }

    /**
     * Max or average pooling. A {@link org.xai4j.engine.spi.KernelProvider}'s kernel runs it when one is chosen
     * ({@link KernelChoice}) and has one for the geometry; otherwise ND4J's ops do.
     */
    static final class Pooling extends Node.Unary {
        private final LayerSpec.Pooling spec;
        /** A provider's kernel, or null for ND4J's ops. */
        private final PoolingKernel provided;

        Pooling(String input, String output, long[] inShape, long[] outShape, LayerSpec.Pooling spec,
                DataType dataType) {
            super(input, output, inShape, outShape);
            this.spec = spec;
            PoolingGeometry geometry = geometry();
            this.provided = geometry == null ? null : KernelChoice.pooling(geometry, dataType).orElse(null);
        }

        /**
         * This layer's shape for a kernel provider, with SAME padding resolved as TensorFlow (and ND4J) place it, the
         * odd row or column last; null when some padding is as wide as the window, or the padding does not give the
         * layer's output size (ND4J's ops handle those).
         */
        private PoolingGeometry geometry() {
            int[] before = new int[2];
            int[] after = new int[2];
            for (int axis = 0; axis < 2; axis++) {
                long in = inputShape[axis + 1];
                long out = outputShape[axis + 1];
                int k = spec.kernel()[axis];
                long total = Math.max((out - 1) * spec.stride()[axis] + k - in, 0);
                before[axis] = spec.samePadding() ? (int) (total / 2) : spec.padding()[axis];
                after[axis] = (int) Math.max(total - before[axis], 0);
                if (before[axis] >= k || after[axis] >= k) {
                    return null;
                }
            }
            PoolingGeometry.Mode mode = spec.type() == LayerSpec.PoolingType.MAX ? PoolingGeometry.Mode.MAX
                    : spec.averageIncludesPadding() ? PoolingGeometry.Mode.AVERAGE_INCLUDING_PADDING
                    : PoolingGeometry.Mode.AVERAGE_EXCLUDING_PADDING;
            try {
                return new PoolingGeometry(inputShape[1], inputShape[2], inputShape[0], outputShape[1],
                        outputShape[2], spec.kernel()[0], spec.kernel()[1], spec.stride()[0], spec.stride()[1],
                        before[0], before[1], after[0], after[1], mode);
            } catch (IllegalArgumentException e) {
                // A shape the resolved padding does not reproduce: ND4J's ops, which computed it, keep the layer.
                return null;
            }
        }

        /** Which kernels run this layer: a provider's implementation names, or ND4J's. */
        String implementation() {
            return provided != null ? provided.implementation() : "nd4j";
        }

        @Override void release() {
            if (provided != null) {
                provided.close();
            }
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
            if (provided != null) {
                provided.forward(in, out);
                return out;
            }
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
            if (provided != null) {
                INDArray gradInput = Nd4j.createUninitialized(gradOutput.dataType(), forwardInput.shape());
                provided.inputGradient(forwardInput, gradOutput, gradInput);
                return gradInput;
            }
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
