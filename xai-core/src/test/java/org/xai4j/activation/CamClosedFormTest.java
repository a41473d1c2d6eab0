package org.xai4j.activation;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.ExplanationCancelledException;
import org.xai4j.ProgressListener;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Objective;
import org.xai4j.testing.TestNetworks;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;

/**
 * Closed forms of the CAMs added for pytorch-grad-cam parity, and of the engine calls they use. On a network whose
 * layer feeds global average pooling and a linear head, {@code dY/dA_k(i,j) = W[k, c] / (h w)} for every position,
 * which fixes most maps; all models compute in DOUBLE, so the tolerances are rounding noise.
 */
class CamClosedFormTest {

    private static final NetworkSpec GAP_NET = TestNetworks.globalAveragePooling(7);
    private static final Nd4jImageModel GAP = Nd4jImageModel.of(GAP_NET, DataType.DOUBLE);
    /** The head's weights {@code [6, 3]}. */
    private static final INDArray HEAD = ((LayerSpec.Dense) GAP_NET.layers().get(3)).weights().castTo(DataType.DOUBLE);

    @Test
    void hiResCamAndElementWiseEqualGradCamAndLayerCamWhenTheGradientIsConstantPerChannel() {
        INDArray x = TestNetworks.randomImages(11, DataType.DOUBLE, 2, 3, 10, 10);
        INDArray gradCam = GradCam.builder().setModel(GAP).optLayer("conv2").optRelu(false).build().map(x, 2).raw();
        INDArray hiRes = HiResCam.builder().setModel(GAP).optLayer("conv2").optRelu(false).build().map(x, 2).raw();
        assertAllClose(hiRes, gradCam, 1e-9, 1e-12);
        // conv2 is a ReLU layer, A >= 0: ReLU(g A) = ReLU(g) A, LayerCAM's product.
        INDArray layerCam = LayerCam.builder().setModel(GAP).optLayer("conv2").optRelu(false).build().map(x, 2).raw();
        INDArray elementWise = GradCamElementWise.builder().setModel(GAP).optLayer("conv2").optRelu(false).build()
                .map(x, 2).raw();
        assertAllClose(elementWise, layerCam, 1e-9, 1e-12);
        assertThat(Transforms.abs(hiRes.sub(elementWise), false).maxNumber().doubleValue())
                .as("the head has negative weights, so the two differ").isGreaterThan(1e-6);
    }

    @Test
    void xGradCamWeighsChannelsByTheActivationWeightedGradient() {
        INDArray x = TestNetworks.randomImages(12, DataType.DOUBLE, 2, 3, 10, 10);
        INDArray a = GAP.activations(x, "conv2");
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 2, 10, 10);
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 6; k++) {
                INDArray ak = a.get(NDArrayIndex.point(i), NDArrayIndex.point(k));
                double sum = ak.sumNumber().doubleValue();
                double weight = HEAD.getDouble(k, 0) / 100 * sum / (sum + XGradCam.EPS);
                expected.get(NDArrayIndex.point(i)).addi(ak.mul(weight));
            }
        }
        assertAllClose(XGradCam.builder().setModel(GAP).optLayer("conv2").optRelu(false).build().map(x, 0).raw(),
                expected, 1e-9, 1e-12);
    }

    @Test
    void principalProjectionOfARankOneLayerIsItsCenteredPatternWithTheLargestMagnitudePositive() {
        Random random = new Random(5);
        // Both branches: fewer channels than positions (channel Gram matrix) and more (position Gram matrix).
        for (int[] size : new int[][] {{3, 4, 5}, {30, 2, 3}}) {
            int c = size[0];
            int h = size[1];
            int w = size[2];
            double[] u = new double[c];
            double norm = 0;
            for (int k = 0; k < c; k++) {
                u[k] = random.nextGaussian();
                norm += u[k] * u[k];
            }
            norm = Math.sqrt(norm);
            INDArray pattern = Nd4j.rand(DataType.DOUBLE, h, w).subi(0.3);
            INDArray batch = Nd4j.zeros(DataType.DOUBLE, 1, c, h, w);
            for (int k = 0; k < c; k++) {
                batch.get(NDArrayIndex.point(0), NDArrayIndex.point(k)).assign(pattern.mul(u[k]).addi(random.nextGaussian()));
            }
            INDArray centered = pattern.sub(pattern.meanNumber()).muli(norm);
            double min = centered.minNumber().doubleValue();
            double max = centered.maxNumber().doubleValue();
            INDArray expected = Math.abs(min) > Math.abs(max) ? centered.neg() : centered;
            assertAllClose(PrincipalProjection.firstComponent(batch), expected.reshape(1, h, w), 1e-9, 1e-9);
            // The sign does not depend on the sign of the input's component.
            INDArray flipped = batch.dup();
            for (int k = 0; k < c; k++) {
                INDArray channel = flipped.get(NDArrayIndex.point(0), NDArrayIndex.point(k));
                channel.assign(pattern.mul(-u[k]));
            }
            assertAllClose(PrincipalProjection.firstComponent(flipped), expected.reshape(1, h, w), 1e-9, 1e-9);
        }
    }

    @Test
    void alignedCornerUpsamplingMapsCornersOntoCorners() {
        // torch.nn.UpsamplingBilinear2d(size=(1, 4)) of [0, 1] gives 0, 1/3, 2/3, 1 (half-pixel centers: 0, .25, .75, 1).
        INDArray row = Nd4j.create(new double[] {0, 1}, new long[] {1, 1, 2});
        assertAllClose(Heatmaps.upsampleAlignCorners(row, 1, 4),
                Nd4j.create(new double[] {0, 1.0 / 3, 2.0 / 3, 1}, new long[] {1, 1, 4}), 1e-12, 1e-12);
        INDArray x = TestNetworks.randomImages(15, DataType.DOUBLE, 2, 3, 5, 7);
        assertAllClose(Heatmaps.upsampleAlignCorners(x, 5, 7), x, 1e-12, 1e-12);
        INDArray up = Heatmaps.upsampleAlignCorners(x, 9, 13);
        assertThat(up.getDouble(1, 2, 8, 12)).isEqualTo(x.getDouble(1, 2, 4, 6));
        assertThat(up.getDouble(1, 2, 4, 6)).isCloseTo(x.getDouble(1, 2, 2, 3), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void jacobiFindsTheTopEigenvector() {
        // Q diag(1, 5, 2) Q^T with a rotation Q: the top eigenvector is Q's second column.
        double t = 0.7;
        double[][] q = {{Math.cos(t), -Math.sin(t), 0}, {Math.sin(t), Math.cos(t), 0}, {0, 0, 1}};
        double[] d = {1, 5, 2};
        double[][] m = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    m[i][j] += q[i][k] * d[k] * q[j][k];
                }
            }
        }
        double[] v = PrincipalProjection.topEigenvector(m);
        double sign = Math.signum(v[1]);
        assertThat(v[0] * sign).isCloseTo(-Math.sin(t), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(v[1] * sign).isCloseTo(Math.cos(t), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(v[2]).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void ablationCamWeighsChannelsByTheRelativeDropOfTheLogitAndIgnoresItsBatchSize() {
        INDArray x = TestNetworks.randomImages(13, DataType.DOUBLE, 2, 3, 10, 10);
        INDArray a = GAP.activations(x, "conv2");
        INDArray logits = GAP.logits(x);
        int target = 1;
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 2, 10, 10);
        for (int i = 0; i < 2; i++) {
            double min = a.get(NDArrayIndex.point(i)).minNumber().doubleValue();
            double ablated = min == 0 ? 0 : min - AblationCam.ABLATION_OFFSET;
            double y = logits.getDouble(i, target);
            for (int k = 0; k < 6; k++) {
                INDArray ak = a.get(NDArrayIndex.point(i), NDArrayIndex.point(k));
                // The logit is linear in the channel means: ablating channel k changes it by W[k, c] (v - mean A_k).
                double yk = y + HEAD.getDouble(k, target) * (ablated - ak.meanNumber().doubleValue());
                expected.get(NDArrayIndex.point(i)).addi(ak.mul((y - yk) / y));
            }
        }
        INDArray one = AblationCam.builder().setModel(GAP).optLayer("conv2").optBatchSize(1).optRelu(false).build()
                .map(x, target).raw();
        INDArray all = AblationCam.builder().setModel(GAP).optLayer("conv2").optBatchSize(64).optRelu(false).build()
                .map(x, target).raw();
        assertAllClose(one, expected, 1e-7, 1e-9);
        assertAllClose(all, expected, 1e-7, 1e-9);
    }

    @Test
    void ablationCamReportsEveryBatchAndStopsWhenCancelled() {
        INDArray x = TestNetworks.randomImages(16, DataType.DOUBLE, 2, 3, 10, 10);
        List<Long> reported = new ArrayList<>();
        AblationCam.builder().setModel(GAP).optLayer("conv2").optBatchSize(4)
                .optProgressListener((task, done, total) -> {
                    assertThat(task).isEqualTo("AblationCam");
                    assertThat(total).isEqualTo(12);
                    reported.add(done);
                }).build().map(x, 0);
        assertThat(reported).containsExactly(4L, 6L, 10L, 12L);
        ProgressListener cancelling = new ProgressListener() {
            private int calls;

            @Override public void onProgress(String task, long done, long total) {
                calls++;
            }

            @Override public boolean isCancelled() {
                return calls >= 1;
            }
        };
        assertThatThrownBy(() -> AblationCam.builder().setModel(GAP).optLayer("conv2").optBatchSize(4)
                .optProgressListener(cancelling).build().map(x, 0))
                .isInstanceOf(ExplanationCancelledException.class);
    }

    @Test
    void replacingALayerInsideAResidualBlockKeepsTheShortcut() {
        try (Nd4jImageModel residual = CamReferenceTest.build("residual").withDataType(DataType.DOUBLE)) {
            INDArray x = CamReferenceTest.read("residual", "inputs").castTo(DataType.DOUBLE);
            Objective objective = Objective.classLogit(0, 3, 4);
            INDArray own = residual.activations(x, "b1_bn2");
            assertAllClose(residual.valuesWithActivation(x, objective, "b1_bn2", own), objective.evaluate(residual, x),
                    1e-12, 1e-12);
            // With the block's branch zeroed, the head sees ReLU(pool) alone.
            INDArray pooled = Transforms.relu(residual.activations(x, "pool"), false).mean(2, 3);
            LayerSpec.Dense fc = (LayerSpec.Dense) residual.spec().layers().get(residual.spec().layers().size() - 1);
            INDArray head = pooled.mmul(fc.weights().castTo(DataType.DOUBLE)).addiRowVector(fc.bias().castTo(DataType.DOUBLE));
            INDArray expected = Nd4j.create(new double[] {head.getDouble(0, 0), head.getDouble(1, 3), head.getDouble(2, 4)});
            assertAllClose(residual.valuesWithActivation(x, objective, "b1_bn2", own.mul(0)), expected, 1e-9, 1e-12);
            assertThatThrownBy(() -> residual.valuesWithActivation(x, objective, "b1_bn2", own.get(NDArrayIndex.interval(0, 2))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3, 8, 8, 8]");
            assertThatThrownBy(() -> residual.valuesWithActivation(x, Objective.channelMean("stem_bn", 0), "b1_bn2", own))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not depend");
        }
    }

    /** See {@link #assertFullGradientCompleteness}. */
    @Test
    void inputAndBiasGradientsAddUpToTheLogitOnReluNetworks() {
        for (String name : List.of("vgg", "residual")) {
            try (Nd4jImageModel model = CamReferenceTest.build(name).withDataType(DataType.DOUBLE)) {
                assertFullGradientCompleteness(model, CamReferenceTest.read(name, "inputs").castTo(DataType.DOUBLE));
            }
        }
        // Convolutions with biases before batch norms (which the engine otherwise folds), a projection shortcut,
        // zero padding and "same" max pooling.
        try (Nd4jImageModel resnet = Nd4jImageModel.of(TestNetworks.resNetStyle(4, ActivationFunction.RELU),
                DataType.DOUBLE)) {
            assertFullGradientCompleteness(resnet, TestNetworks.randomImages(17, DataType.DOUBLE, 3, 3, 18, 14));
        }
    }

    /**
     * The full-gradient decomposition of a piecewise-linear network (Srinivas and Fleuret 2019, Eq. 2):
     * {@code y = x . dY/dx + sum_l b_l . dY/dZ_l} over every bias (convolutions, batch norms, dense layers): checks
     * {@link Nd4jImageModel#linearGradients}, the gradients FullGrad weighs, exactly.
     */
    private static void assertFullGradientCompleteness(Nd4jImageModel model, INDArray x) {
        Objective objective = Objective.classLogit(2, 0, 4);
        List<String> layers = new ArrayList<>();
        List<INDArray> biases = new ArrayList<>();
        for (LayerSpec layer : model.spec().layers()) {
            INDArray bias = layer instanceof LayerSpec.Convolution c ? c.bias()
                    : layer instanceof LayerSpec.ChannelAffine a ? a.shift()
                    : layer instanceof LayerSpec.Dense d ? d.bias() : null;
            if (bias != null) {
                layers.add(layer.name());
                biases.add(bias.castTo(DataType.DOUBLE));
            }
        }
        Nd4jImageModel.LinearGradients g = model.linearGradients(x, objective, layers);
        INDArray total = g.inputGradient().mul(x).sum(1, 2, 3);
        for (int l = 0; l < layers.size(); l++) {
            INDArray grad = g.byLayer().get(layers.get(l));
            INDArray perChannel = grad.rank() == 4 ? grad.sum(2, 3) : grad;
            total.addi(perChannel.mulRowVector(biases.get(l)).sum(1));
        }
        INDArray logits = objective.evaluate(model, x);
        assertAllClose(total, logits, 1e-9, 1e-9);
        assertAllClose(g.values(), logits, 1e-12, 1e-12);
        assertThat(layers).as(model.spec().name()).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void fullGradLeavesOutAnAffinePreprocessingLayerAndConvolutionsWithoutBias() {
        try (Nd4jImageModel vgg = CamReferenceTest.build("vgg"); Nd4jImageModel residual = CamReferenceTest.build("residual")) {
            List<LayerSpec> layers = new ArrayList<>();
            layers.add(new LayerSpec.ChannelAffine("preprocess", Nd4j.ones(DataType.FLOAT, 3).muli(2),
                    Nd4j.ones(DataType.FLOAT, 3).negi(), ActivationFunction.IDENTITY, 0));
            layers.addAll(vgg.spec().layers());
            try (Nd4jImageModel preprocessed = Nd4jImageModel.of(new NetworkSpec("vgg", vgg.inputShape(), layers))) {
                assertThat(FullGrad.builder().setModel(preprocessed).build().biasLayers())
                        .containsExactly("conv1", "conv2", "conv3");
            }
            assertThat(FullGrad.builder().setModel(residual).build().biasLayers())
                    .containsExactly("stem_bn", "b1_bn1", "b1_bn2");
        }
    }

    @Test
    void fullGradPicksConvolutionsWithBiasesAndBatchNormsAfterConvolutions() {
        try (Nd4jImageModel resnet = Nd4jImageModel.of(TestNetworks.resNetStyle(3, ActivationFunction.RELU))) {
            FullGrad fullGrad = FullGrad.builder().setModel(resnet).build();
            assertThat(fullGrad.biasLayers()).containsExactly("stem_conv", "stem_bn", "b1_conv1", "b1_bn1", "b1_conv2",
                    "b1_bn2", "b2_conv1", "b2_bn1", "b2_conv2", "b2_bn2", "b2_shortcut", "b2_shortcut_bn");
            ActivationMap map = fullGrad.map(TestNetworks.randomImages(14, DataType.FLOAT, 2, 3, 18, 14), 1, 3);
            assertThat(map.maps().shape()).containsExactly(2, 18, 14);
            assertThat(map.raw().shape()).containsExactly(2, 18, 14);
            assertThat(map.layer()).isEqualTo("input");
            assertThat(map.raw().minNumber().doubleValue()).isGreaterThanOrEqualTo(0);
            assertThat(fullGrad.toString()).contains("FullGrad", "b2_shortcut_bn");
            assertThatThrownBy(() -> FullGrad.builder().setModel(resnet).optLayers(List.of("b1_add")).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b1_add").hasMessageContaining("no bias");
            assertThatThrownBy(() -> FullGrad.builder().setModel(resnet).optLayers(List.of("nope")).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
            assertThatThrownBy(() -> FullGrad.builder().build())
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("setModel");
            assertThatThrownBy(() -> AblationCam.builder().setModel(resnet).optBatchSize(0).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch size");
            assertThatThrownBy(() -> ScoreCam.builder().setModel(resnet).optVariant(null).build())
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("PYTORCH_GRAD_CAM");
        }
    }
}
