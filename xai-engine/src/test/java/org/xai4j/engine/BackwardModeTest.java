package org.xai4j.engine;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.testing.TestNetworks;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;

/**
 * The engine's backward modes as a seam: they leave the plain gradient's results untouched (same plan, no state
 * left behind), a mode that reads every value sees the forward values unchanged by in-place ops, and bad arguments
 * are refused. What each mode computes is tested with its method (org.xai4j.guided, org.xai4j.propagation).
 */
class BackwardModeTest {

    @Test
    void modesLeaveThePlainGradientUnchanged() {
        for (NetworkSpec spec : List.of(TestNetworks.vggStyle(1), TestNetworks.resNetStyle(2, ActivationFunction.RELU))) {
            try (Nd4jImageModel model = Nd4jImageModel.of(spec)) {
                long[] shape = spec.inputShape();
                INDArray x = TestNetworks.randomImages(3, DataType.FLOAT, 2, shape[0], shape[1], shape[2]);
                Objective objective = Objective.classLogit(1, 2);
                INDArray before = model.gradient(x, objective).inputGradient();
                for (BackwardMode mode : List.of(BackwardMode.guided(), BackwardMode.deconvolution(),
                        BackwardMode.epsilonLrp(1e-9))) {
                    INDArray modified = model.gradient(x, objective, mode).inputGradient();
                    assertThat(modified.shape()).containsExactly(x.shape());
                }
                model.gradient(Nd4j.concat(0, x, x.mul(0.5)), Objective.classLogit(1, 2, 1, 2),
                        BackwardMode.rescale(1e-10));
                // The same plan and the same ops: the same bits (the engine is deterministic call to call).
                assertAllClose(model.gradient(x, objective).inputGradient(), before, 0, 0);
            }
        }
    }

    @Test
    void rescaleWithTheInputAsItsOwnReferenceIsTheGradient() {
        // x0 = x: every |x - x0| < eps, so each nonlinearity falls back to its gradient: the plain gradient, also
        // through max pooling and the residual sums.
        NetworkSpec spec = TestNetworks.resNetStyle(4, ActivationFunction.RELU);
        try (Nd4jImageModel model = Nd4jImageModel.of(spec, DataType.DOUBLE)) {
            long[] shape = spec.inputShape();
            INDArray x = TestNetworks.randomImages(5, DataType.DOUBLE, 2, shape[0], shape[1], shape[2]);
            INDArray rescaled = model.gradient(Nd4j.concat(0, x, x), Objective.classLogit(0, 4, 0, 4),
                    BackwardMode.rescale(1e-10)).inputGradient();
            INDArray gradient = model.gradient(x, Objective.classLogit(0, 4)).inputGradient();
            assertAllClose(rescaled.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)), gradient, 1e-12, 1e-14);
            assertAllClose(rescaled.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 4)), gradient, 1e-12, 1e-14);
        }
    }

    @Test
    void refusesBadArguments() {
        assertThatThrownBy(() -> BackwardMode.rescale(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> BackwardMode.epsilonLrp(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> BackwardMode.engineModel(null, "X")).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("setModel");
        assertThat(BackwardMode.guided()).hasToString("guided");
        assertThat(BackwardMode.epsilonLrp(0.5)).hasToString("lrp(eps=0.5)");
        try (Nd4jImageModel model = Nd4jImageModel.of(TestNetworks.vggStyle(6))) {
            INDArray x = TestNetworks.randomImages(7, DataType.FLOAT, 1, 3, 16, 16);
            assertThatThrownBy(() -> model.gradient(x, Objective.classLogit(0), null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("backward mode");
            assertThatThrownBy(() -> model.gradient(x, null, BackwardMode.guided()))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("objective");
        }
    }
}
