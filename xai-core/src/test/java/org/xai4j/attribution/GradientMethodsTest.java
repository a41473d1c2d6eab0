package org.xai4j.attribution;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.testing.TestNetworks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;

class GradientMethodsTest {

    private static final long[] SHAPE = {3, 5, 4};

    private static Nd4jImageModel linearModel() {
        return Nd4jImageModel.of(TestNetworks.linear(SHAPE, 4, 2), DataType.DOUBLE);
    }

    private static INDArray weightImage(Nd4jImageModel model, int target, int copies) {
        INDArray w = ((LayerSpec.Dense) model.spec().layers().get(1)).weights().getColumn(target).dup()
                .reshape(1, SHAPE[0], SHAPE[1], SHAPE[2]);
        return w.repeat(0, copies);
    }

    @Test
    void saliencyOfALinearModelIsItsWeights() {
        Nd4jImageModel model = linearModel();
        INDArray x = TestNetworks.randomImages(1, DataType.DOUBLE, 2, 3, 5, 4);
        assertAllClose(Saliency.builder().setModel(model).build().attribute(x, 2).values(), weightImage(model, 2, 2), 1e-12, 1e-12);
        assertAllClose(Saliency.builder().setModel(model).optAbsolute(true).build().attribute(x, 2).values(),
                Transforms.abs(weightImage(model, 2, 2)), 1e-12, 1e-12);
    }

    @Test
    void inputTimesGradientOfALinearModelIsInputTimesWeights() {
        Nd4jImageModel model = linearModel();
        INDArray x = TestNetworks.randomImages(2, DataType.DOUBLE, 2, 3, 5, 4);
        assertAllClose(InputXGradient.builder().setModel(model).build().attribute(x, 1).values(), x.mul(weightImage(model, 1, 2)), 1e-12, 1e-12);
    }

    @Test
    void smoothGradOfALinearModelIsItsWeightsAndVarGradIsZero() {
        Nd4jImageModel model = linearModel();
        INDArray x = TestNetworks.randomImages(3, DataType.DOUBLE, 2, 3, 5, 4);
        NoiseTunnel.Builder tunnel = NoiseTunnel.builder().setMethod(Saliency.builder().setModel(model).build()).optSamples(5).optSamplesPerBatch(2);
        assertAllClose(tunnel.build().attribute(x, 3).values(), weightImage(model, 3, 2), 1e-12, 1e-12);
        assertAllClose(tunnel.optAggregation(NoiseTunnel.Aggregation.VARGRAD).build().attribute(x, 3).values(),
                weightImage(model, 3, 2).mul(0), 0, 1e-12);
    }

    @Test
    void smoothGradIsSeededAndAveragesNoisyGradients() {
        Nd4jImageModel model = Nd4jImageModel.of(
                TestNetworks.smooth(4), DataType.DOUBLE);
        INDArray x = TestNetworks.randomImages(5, DataType.DOUBLE, 2, 3, 12, 12);
        NoiseTunnel.Builder builder = NoiseTunnel.builder().setMethod(Saliency.builder().setModel(model).build()).optSamples(6).optSeed(9);
        INDArray first = builder.build().attribute(x, 1).values();
        assertAllClose(builder.build().attribute(x, 1).values(), first, 0, 0);
        INDArray plain = Saliency.builder().setModel(model).build().attribute(x, 1).values();
        assertThat(first.equalsWithEps(plain, 1e-9)).as("noise must change a nonlinear model's gradients").isFalse();
        // With zero noise the tunnel is the method itself.
        assertAllClose(builder.optNoiseLevel(0).build().attribute(x, 1).values(), plain, 1e-12, 1e-14);
    }

    @Test
    void noiseTunnelOverIntegratedGradientsAveragesDeltas() {
        Nd4jImageModel model = linearModel();
        INDArray x = TestNetworks.randomImages(6, DataType.DOUBLE, 1, 3, 5, 4);
        Attribution a = NoiseTunnel.builder().setMethod(IntegratedGradients.builder().setModel(model).optSteps(4).build())
                .optSamples(3).build().attribute(x, Objective.classLogit(0));
        assertThat(a.convergenceDelta()).hasSize(1);
        assertThat(a.maxAbsDelta()).isLessThan(1e-10);
        assertThat(a.gradientEvaluations()).isEqualTo(12);
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> NoiseTunnel.builder().build()).hasMessageContaining("setMethod");
        assertThatThrownBy(() -> NoiseTunnel.builder().setMethod(Saliency.builder().setModel(linearModel()).build()).optSamples(0).build())
                .hasMessageContaining("samples must be positive, got 0");
        assertThatThrownBy(() -> NoiseTunnel.builder().setMethod(Saliency.builder().setModel(linearModel()).build()).optNoiseLevel(Double.NaN)
                .build()).hasMessageContaining("NaN");
        assertThatThrownBy(() -> Saliency.builder().setModel(null).build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("model is required");
    }
}
