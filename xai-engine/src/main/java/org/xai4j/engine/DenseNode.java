package org.xai4j.engine;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Fully connected layer plus bias: the input gradient is the output gradient times the transposed weights. */
final class DenseNode extends Node.Unary {
    private final INDArray weights;
    private final INDArray bias;

    DenseNode(String input, String output, long[] inShape, INDArray weights, INDArray bias) {
        super(input, output, inShape, new long[] {weights.size(1)});
        this.weights = weights;
        this.bias = bias;
    }

    @Override SDVariable forward(SameDiff sd, SDVariable in) {
        SDVariable w = sd.constant(output + "/kernel", weights);
        if (bias == null) {
            return sd.mmul(output, in, w);
        }
        // Not sd.nn.linear: its oneDNN float32 kernel (xw_plus_b) corrupts state between calls in M2.1.
        return sd.mmul(in, w).add(output, sd.constant(output + "/bias", bias));
    }

    @Override INDArray apply(INDArray in, boolean mayOverwriteInput) {
        INDArray out = Nd4j.createUninitialized(in.dataType(), in.size(0), weights.size(1));
        Nd4j.gemm(in, weights, out, false, false, 1.0, 0.0);
        return bias == null ? out : out.addiRowVector(bias);
    }

    @Override void release() {
        close(weights, bias);
    }

    @Override INDArray backward(INDArray gradOutput, INDArray unused) {
        // (W g^T)^T rather than g W^T: ND4J's gemm streams the big weights [in, out] fastest untransposed (35 ms
        // instead of 157 ms for VGG16's fc1 at batch 16), and only the small [in, n] product is transposed.
        long n = gradOutput.size(0);
        INDArray transposed = Nd4j.createUninitialized(gradOutput.dataType(), weights.size(0), n);
        Nd4j.gemm(weights, gradOutput, transposed, false, true, 1.0, 0.0);
        return transposed.transpose().dup('c');
    }
}
