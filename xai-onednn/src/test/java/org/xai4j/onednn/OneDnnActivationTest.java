package org.xai4j.onednn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.spi.ActivationKernel;
import org.xai4j.testing.TestNetworks;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;

/**
 * The oneDNN activation kernels against the functions and their derivatives written out in double precision, in place
 * and not, on image batches and on feature vectors, and the derivatives against central finite differences.
 */
class OneDnnActivationTest {

    private final OneDnnKernels provider = new OneDnnKernels();

    private static final List<ActivationFunction> OFFERED = List.of(ActivationFunction.RELU, ActivationFunction.RELU6,
            ActivationFunction.TANH, ActivationFunction.SIGMOID);

    private static double apply(ActivationFunction f, double x) {
        return switch (f) {
            case RELU -> Math.max(x, 0);
            case RELU6 -> Math.min(Math.max(x, 0), 6);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            default -> throw new IllegalArgumentException(f.name());
        };
    }

    /** The derivative at the input, written in terms of the input (the kernel computes it from the output). */
    private static double derivative(ActivationFunction f, double x) {
        return switch (f) {
            case RELU -> x > 0 ? 1 : 0;
            case RELU6 -> x > 0 && x < 6 ? 1 : 0;
            case TANH -> 1 - Math.tanh(x) * Math.tanh(x);
            case SIGMOID -> apply(f, x) * (1 - apply(f, x));
            default -> throw new IllegalArgumentException(f.name());
        };
    }

    @Test
    void forwardAndInputGradientMatchTheFunctionsInPlaceAndNot() {
        Random random = new Random(17);
        for (ActivationFunction f : OFFERED) {
            for (long[] shape : List.of(new long[] {5, 4, 7}, new long[] {11})) {
                try (ActivationKernel kernel = compile(f, shape)) {
                    for (long n : new long[] {1, 3}) {
                        long[] batch = batchShape(n, shape);
                        // Scale 4 reaches both bounds of ReLU6.
                        INDArray x = TestNetworks.gaussian(random, 4.0, batch);
                        INDArray gradOut = TestNetworks.gaussian(random, 1.0, batch);
                        INDArray expectedOut = map(x, v -> apply(f, v));
                        INDArray expectedGrad = map(x, v -> derivative(f, v)).muli(gradOut);

                        INDArray out = Nd4j.create(DataType.FLOAT, batch);
                        kernel.forward(x.castTo(DataType.FLOAT), out);
                        assertAllClose(out, expectedOut, 1e-5, 1e-6);
                        INDArray gradIn = Nd4j.create(DataType.FLOAT, batch);
                        kernel.inputGradient(out, gradOut.castTo(DataType.FLOAT), gradIn);
                        assertAllClose(gradIn, expectedGrad, 1e-4, 1e-5);

                        INDArray inPlace = x.castTo(DataType.FLOAT);
                        kernel.forward(inPlace, inPlace);
                        assertThat(inPlace).isEqualTo(out);
                        INDArray gradInPlace = gradOut.castTo(DataType.FLOAT);
                        kernel.inputGradient(out, gradInPlace, gradInPlace);
                        assertThat(gradInPlace).isEqualTo(gradIn);
                    }
                }
            }
        }
    }

    @Test
    void smoothDerivativesAgreeWithFiniteDifferences() {
        Random random = new Random(19);
        double h = 1e-3;
        for (ActivationFunction f : List.of(ActivationFunction.TANH, ActivationFunction.SIGMOID)) {
            try (ActivationKernel kernel = compile(f, new long[] {9})) {
                INDArray x = TestNetworks.gaussian(random, 2.0, 2, 9);
                INDArray out = Nd4j.create(DataType.FLOAT, 2, 9);
                kernel.forward(x.castTo(DataType.FLOAT), out);
                INDArray gradIn = Nd4j.create(DataType.FLOAT, 2, 9);
                kernel.inputGradient(out, Nd4j.ones(DataType.FLOAT, 2, 9), gradIn);
                INDArray central = map(x, v -> (apply(f, v + h) - apply(f, v - h)) / (2 * h));
                assertAllClose(gradIn, central, 1e-4, 1e-5);
            }
        }
    }

    @Test
    void functionsWhoseDerivativeNeedsTheInputGetNoKernel() {
        for (ActivationFunction f : List.of(ActivationFunction.LEAKY_RELU, ActivationFunction.ELU,
                ActivationFunction.SWISH, ActivationFunction.SOFTPLUS, ActivationFunction.HARD_SIGMOID,
                ActivationFunction.SOFTMAX, ActivationFunction.IDENTITY)) {
            assertThat(provider.activation(f, 0.1, new long[] {4})).as("%s", f).isEmpty();
        }
    }

    @Test
    void viewsAreReadAndBadArraysRefusedWithWhatWasExpected() {
        try (ActivationKernel kernel = compile(ActivationFunction.RELU, new long[] {4, 4, 3})) {
            INDArray wide = Nd4j.rand(DataType.FLOAT, 2, 4, 4, 6).subi(0.5);
            INDArray view = wide.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(0, 3));
            INDArray fromView = Nd4j.create(DataType.FLOAT, 2, 4, 4, 3);
            kernel.forward(view, fromView);
            assertAllClose(fromView, map(view.castTo(DataType.DOUBLE), v -> Math.max(v, 0)), 0, 0);
            assertThatThrownBy(() -> kernel.forward(Nd4j.rand(DataType.FLOAT, 2, 4, 4, 3), view))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dense C-ordered");
            assertThatThrownBy(() -> kernel.forward(Nd4j.rand(DataType.FLOAT, 2, 4, 3, 4),
                    Nd4j.create(DataType.FLOAT, 2, 4, 3, 4)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 4, 3, 4]")
                    .hasMessageContaining("expected FLOAT [n, 4, 4, 3]");
            assertThatThrownBy(() -> kernel.inputGradient(fromView, Nd4j.rand(DataType.FLOAT, 3, 4, 4, 3),
                    Nd4j.create(DataType.FLOAT, 2, 4, 4, 3)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("for 3 examples: expected 2");
        }
        assertThatThrownBy(() -> provider.activation(ActivationFunction.RELU, 0, new long[] {4, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[4, 0]");
        ActivationKernel closed = compile(ActivationFunction.RELU, new long[] {2});
        closed.close();
        assertThat(closed.implementation()).contains("closed");
        assertThatThrownBy(() -> closed.forward(Nd4j.rand(DataType.FLOAT, 1, 2), Nd4j.create(DataType.FLOAT, 1, 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private ActivationKernel compile(ActivationFunction f, long[] shape) {
        assertThat(provider.unavailableReason()).isNull();
        Optional<ActivationKernel> kernel = provider.activation(f, 0, shape);
        assertThat(kernel).as("an optimized oneDNN kernel for %s", f).isPresent();
        assertThat(kernel.get().implementation()).startsWith("oneDNN 3.").doesNotContain("ref:");
        return kernel.get();
    }

    private static long[] batchShape(long n, long[] shape) {
        long[] batch = new long[shape.length + 1];
        batch[0] = n;
        System.arraycopy(shape, 0, batch, 1, shape.length);
        return batch;
    }

    /** {@code f} applied to every value, in float64. */
    private static INDArray map(INDArray x, DoubleUnaryOperator f) {
        INDArray flat = x.castTo(DataType.DOUBLE).dup('c').reshape(-1);
        double[] values = flat.toDoubleVector();
        for (int i = 0; i < values.length; i++) {
            values[i] = f.applyAsDouble(values[i]);
        }
        return Nd4j.create(values, x.shape(), 'c');
    }
}
