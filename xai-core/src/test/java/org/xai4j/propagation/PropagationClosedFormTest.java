package org.xai4j.propagation;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.Baseline;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.BackwardMode;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Objective;
import org.xai4j.testing.FiniteDifferences;
import org.xai4j.testing.TestNetworks;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;
import static org.xai4j.testing.TestNetworks.convolution;
import static org.xai4j.testing.TestNetworks.dense;

/**
 * DeepLift, DeepLiftShap and LRP on closed forms, in float64: DeepLift's completeness on networks with every
 * nonlinearity the Rescale rule covers (max pooling with overlapping windows and global max pooling included), its
 * hand-computed value on a one-hidden-layer ReLU network, its limit at a nearby reference (the gradient, by finite
 * differences); DeepLiftShap as the mean of DeepLift over references; LRP's conservation on bias-free ReLU networks
 * (chain and residual), its equality with gradient times input there, its hand-computed epsilon rule on one dense
 * layer, and the preprocessing passing relevance through.
 */
class PropagationClosedFormTest {

    private static final ActivationFunction[] NONLINEAR = {ActivationFunction.RELU, ActivationFunction.ELU,
        ActivationFunction.LEAKY_RELU, ActivationFunction.SWISH, ActivationFunction.TANH, ActivationFunction.SIGMOID,
        ActivationFunction.SOFTPLUS, ActivationFunction.RELU6, ActivationFunction.HARD_SIGMOID};

    /** Every element-wise nonlinearity, windowed max pooling (overlapping windows) and global max pooling. */
    private static NetworkSpec everyNonlinearity(long seed) {
        Random random = new Random(seed);
        List<LayerSpec> layers = new java.util.ArrayList<>();
        layers.add(convolution(random, "conv0", 3, 6, 3, 1, 1, false, ActivationFunction.RELU));
        layers.add(new LayerSpec.Pooling("pool0", LayerSpec.PoolingType.MAX, new int[] {3, 3}, new int[] {2, 2},
                new int[] {0, 0}, true, false));
        for (int k = 0; k < NONLINEAR.length; k++) {
            layers.add(convolution(random, "conv" + (k + 1), 6, 6, 3, 1, 1, false, NONLINEAR[k]));
        }
        layers.add(new LayerSpec.GlobalPooling("gmp", LayerSpec.PoolingType.MAX));
        layers.add(dense(random, "out", 6, 4, ActivationFunction.IDENTITY));
        return new NetworkSpec("nonlinear", new long[] {3, 12, 12}, layers);
    }

    /** A bias-free residual ReLU graph: conv, max pool, a block joined by addition, global average pooling, dense. */
    private static NetworkSpec biasFreeResidual(long seed) {
        Random random = new Random(seed);
        return NetworkSpec.graph("residual", 3, 12, 12)
                .add(withoutBias(convolution(random, "stem", 3, 6, 3, 1, 1, false, ActivationFunction.RELU)))
                .add(new LayerSpec.Pooling("pool", LayerSpec.PoolingType.MAX, new int[] {2, 2}, new int[] {2, 2},
                        new int[] {0, 0}, false, false))
                .add(withoutBias(convolution(random, "b1_conv1", 6, 6, 3, 1, 1, false, ActivationFunction.RELU)))
                .add(withoutBias(convolution(random, "b1_conv2", 6, 6, 3, 1, 1, false, ActivationFunction.IDENTITY)))
                .add(new LayerSpec.ElementWise("b1_add", LayerSpec.ElementWiseOp.ADD), "pool", "b1_conv2")
                .add(new LayerSpec.Activation("b1_out", ActivationFunction.RELU, 0))
                .add(new LayerSpec.GlobalPooling("gap", LayerSpec.PoolingType.AVG))
                .add(new LayerSpec.Dense("out", TestNetworks.gaussian(random, 0.5, 6, 4), null,
                        ActivationFunction.IDENTITY, 0))
                .build();
    }

    private static LayerSpec withoutBias(LayerSpec.Convolution c) {
        return new LayerSpec.Convolution(c.name(), c.weights(), null, c.stride(), c.padding(), c.dilation(),
                c.samePadding(), c.activation(), c.alpha());
    }

    @Test
    void deepLiftIsCompleteThroughEveryNonlinearity() {
        List<NetworkSpec> networks = List.of(everyNonlinearity(1), TestNetworks.resNetStyle(2, ActivationFunction.RELU),
                TestNetworks.smooth(3), TestNetworks.vggStyle(4));
        for (NetworkSpec spec : networks) {
            try (Nd4jImageModel model = Nd4jImageModel.of(spec, DataType.DOUBLE)) {
                long[] shape = spec.inputShape();
                INDArray x = TestNetworks.randomImages(5, DataType.DOUBLE, 2, shape[0], shape[1], shape[2]);
                INDArray reference = TestNetworks.randomImages(6, DataType.DOUBLE, 1, shape[0], shape[1], shape[2])
                        .muli(0.5);
                int[] targets = {1, 3};
                Attribution attribution = DeepLift.builder().setModel(model)
                        .optBaseline((example, i) -> reference.dup()).build().attribute(x, targets);
                INDArray logits = model.logits(x);
                INDArray referenceLogits = model.logits(Nd4j.concat(0, reference, reference));
                for (int i = 0; i < 2; i++) {
                    double difference = logits.getDouble(i, targets[i]) - referenceLogits.getDouble(i, targets[i]);
                    double sum = attribution.values().get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).sumNumber()
                            .doubleValue();
                    assertThat(attribution.outputDifference()[i]).as(spec.name())
                            .isCloseTo(difference, org.assertj.core.data.Offset.offset(1e-12));
                    assertThat(sum).as(spec.name() + " completeness, example " + i)
                            .isCloseTo(difference, org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, Math.abs(difference))));
                    assertThat(Math.abs(attribution.convergenceDelta()[i])).isLessThan(1e-9 * Math.max(1, Math.abs(difference)));
                }
            }
        }
    }

    @Test
    void deepLiftOnOneHiddenReluLayerHasTheClosedForm() {
        double[][] w1 = {{1.0, -0.5, 0.3}, {0.2, 0.4, -1.0}, {-0.7, 0.1, 0.5}, {0.6, -0.3, 0.2}};
        double[] b1 = {0.1, -0.3, 0.2};
        double[][] w2 = {{0.8, -0.4}, {-0.9, 0.7}, {-0.6, 0.3}};
        double[] x = {0.5, 0.2, 0.1, 0.9};
        double[] x0 = {-0.4, 0.6, 0.3, -0.2};
        int target = 1;
        NetworkSpec spec = new NetworkSpec("mlp", new long[] {1, 2, 2}, List.of(
                new LayerSpec.Flatten("flatten", false),
                new LayerSpec.Dense("hidden", Nd4j.createFromArray(w1), Nd4j.createFromArray(b1),
                        ActivationFunction.RELU, 0),
                new LayerSpec.Dense("out", Nd4j.createFromArray(w2), Nd4j.createFromArray(0.3, -0.1),
                        ActivationFunction.IDENTITY, 0)));
        // attribution_i = (x_i - x0_i) * sum_j w1_ij * w2_jt * (relu(z_j) - relu(z0_j)) / (z_j - z0_j)
        double[] expected = new double[4];
        for (int j = 0; j < 3; j++) {
            double z = b1[j];
            double z0 = b1[j];
            for (int i = 0; i < 4; i++) {
                z += w1[i][j] * x[i];
                z0 += w1[i][j] * x0[i];
            }
            double multiplier = (Math.max(z, 0) - Math.max(z0, 0)) / (z - z0);
            for (int i = 0; i < 4; i++) {
                expected[i] += (x[i] - x0[i]) * w1[i][j] * w2[j][target] * multiplier;
            }
        }
        try (Nd4jImageModel model = Nd4jImageModel.of(spec, DataType.DOUBLE)) {
            INDArray reference = Nd4j.create(x0, new long[] {1, 1, 2, 2}, DataType.DOUBLE);
            INDArray actual = DeepLift.builder().setModel(model).optBaseline((e, i) -> reference.dup()).build()
                    .attribute(Nd4j.create(x, new long[] {1, 1, 2, 2}, DataType.DOUBLE), target).values();
            assertAllClose(actual, Nd4j.create(expected, new long[] {1, 1, 2, 2}, DataType.DOUBLE), 1e-12, 1e-12);
        }
    }

    @Test
    void deepLiftMultipliersTendToTheGradientAsTheReferenceApproachesTheInput() {
        try (Nd4jImageModel model = Nd4jImageModel.of(TestNetworks.smooth(7), DataType.DOUBLE)) {
            INDArray x = TestNetworks.randomImages(9, DataType.DOUBLE, 2, 3, 12, 12);
            Objective objective = Objective.classLogit(0, 2);
            double step = 1e-6;
            INDArray multipliers = DeepLift.builder().setModel(model).optBaseline((e, i) -> e.sub(step)).build()
                    .attribute(x, objective).values().divi(step);
            // The ratios differ from the derivatives by O(step) relative; finite differences add about 1e-8.
            assertAllClose(multipliers, FiniteDifferences.inputGradient(model, x, objective), 1e-4, 1e-6);
        }
    }

    @Test
    void deepLiftShapIsTheMeanOfDeepLiftOverReferences() {
        try (Nd4jImageModel model = Nd4jImageModel.of(everyNonlinearity(12), DataType.DOUBLE)) {
            INDArray x = TestNetworks.randomImages(13, DataType.DOUBLE, 3, 3, 12, 12);
            INDArray noise = TestNetworks.randomImages(14, DataType.DOUBLE, 1, 3, 12, 12);
            List<Baseline> baselines = List.of(Baseline.zero(), Baseline.constant(0.5), (e, i) -> noise.dup());
            int[] targets = {0, 2, 3};
            Attribution shap = DeepLiftShap.builder().setModel(model).optBaselines(baselines).optInternalBatchSize(2)
                    .build().attribute(x, targets);
            INDArray mean = Nd4j.zeros(DataType.DOUBLE, x.shape());
            double[] meanDifference = new double[3];
            for (Baseline baseline : baselines) {
                Attribution one = DeepLift.builder().setModel(model).optBaseline(baseline).build().attribute(x, targets);
                mean.addi(one.values().divi(baselines.size()));
                for (int i = 0; i < 3; i++) {
                    meanDifference[i] += one.outputDifference()[i] / baselines.size();
                }
            }
            assertThat(shap.values().shape()).containsExactly(x.shape());
            assertAllClose(shap.values(), mean, 1e-12, 1e-12);
            for (int i = 0; i < 3; i++) {
                assertThat(shap.outputDifference()[i]).isCloseTo(meanDifference[i],
                        org.assertj.core.data.Offset.offset(1e-12));
                assertThat(Math.abs(shap.convergenceDelta()[i])).isLessThan(1e-9);
            }
        }
    }

    @Test
    void lrpConservesRelevanceAndEqualsGradientTimesInputWithoutBiases() {
        // Bias-free ReLU networks: with a vanishing epsilon every layer conserves relevance, and LRP-0 is gradient
        // times input (Montavon et al. 2019, section 10.2.1); max pooling and the residual sum conserve it too.
        List<NetworkSpec> networks = List.of(TestNetworks.vggStyle(21), biasFreeResidual(22));
        for (NetworkSpec spec : networks) {
            try (Nd4jImageModel model = Nd4jImageModel.of(spec, DataType.DOUBLE)) {
                long[] shape = spec.inputShape();
                INDArray x = TestNetworks.randomImages(23, DataType.DOUBLE, 2, shape[0], shape[1], shape[2]);
                int[] targets = {0, 3};
                // A tiny epsilon: relevance is then conserved to rounding, while windows of zeros still divide 0 by
                // epsilon instead of by 0 (Captum's 1e-9 would shift values by up to 1e-9 / |z|, 1e-5 at small z).
                Attribution lrp = Lrp.builder().setModel(model).optEpsilon(1e-15).build().attribute(x, targets);
                INDArray logits = model.logits(x);
                for (int i = 0; i < 2; i++) {
                    double output = logits.getDouble(i, targets[i]);
                    assertThat(lrp.outputDifference()[i]).isCloseTo(output, org.assertj.core.data.Offset.offset(1e-12));
                    assertThat(Math.abs(lrp.convergenceDelta()[i])).as(spec.name() + " conservation")
                            .isLessThan(1e-9 * Math.max(1, Math.abs(output)));
                }
                INDArray gradientTimesInput = model.gradient(x, Objective.classLogit(targets)).inputGradient().mul(x);
                assertAllClose(lrp.values(), gradientTimesInput, 1e-9, 1e-12);
            }
        }
    }

    @Test
    void lrpEpsilonRuleOnOneDenseLayer() {
        // R_i = x_i * w_it * z / (z + eps * sign(z)), z = w_t . x + b_t: the bias and epsilon absorb relevance.
        double[][] w = {{1.0, -0.5}, {0.2, 0.4}, {-0.7, 0.1}, {0.6, -0.3}};
        double[] b = {0.3, -0.2};
        double[] x = {0.5, 0.2, 0.1, 0.9};
        double epsilon = 0.25;
        NetworkSpec spec = new NetworkSpec("linear", new long[] {1, 2, 2}, List.of(
                new LayerSpec.Flatten("flatten", false),
                new LayerSpec.Dense("out", Nd4j.createFromArray(w), Nd4j.createFromArray(b),
                        ActivationFunction.IDENTITY, 0)));
        try (Nd4jImageModel model = Nd4jImageModel.of(spec, DataType.DOUBLE)) {
            for (int target = 0; target < 2; target++) {
                double z = b[target];
                for (int i = 0; i < 4; i++) {
                    z += w[i][target] * x[i];
                }
                double[] expected = new double[4];
                for (int i = 0; i < 4; i++) {
                    expected[i] = x[i] * w[i][target] * z / (z + epsilon * (z >= 0 ? 1 : -1));
                }
                Attribution lrp = Lrp.builder().setModel(model).optEpsilon(epsilon).build()
                        .attribute(Nd4j.create(x, new long[] {1, 1, 2, 2}, DataType.DOUBLE), target);
                assertAllClose(lrp.values(), Nd4j.create(expected, new long[] {1, 1, 2, 2}, DataType.DOUBLE), 1e-12, 1e-12);
            }
        }
    }

    @Test
    void lrpPassesRelevanceThroughTheEmbeddedPreprocessing() {
        NetworkSpec plain = TestNetworks.vggStyle(31);
        INDArray scale = Nd4j.createFromArray(2.0, 0.5, 1.5);
        INDArray shift = Nd4j.createFromArray(-0.4, 0.1, -0.2);
        List<LayerSpec> layers = new java.util.ArrayList<>();
        layers.add(new LayerSpec.ChannelAffine("preprocessing_affine", scale, shift, ActivationFunction.IDENTITY, 0));
        layers.addAll(plain.layers());
        NetworkSpec preprocessed = new NetworkSpec("preprocessed", plain.inputShape(), layers);
        try (Nd4jImageModel withPreprocessing = Nd4jImageModel.of(preprocessed, DataType.DOUBLE);
             Nd4jImageModel without = Nd4jImageModel.of(plain, DataType.DOUBLE)) {
            INDArray x = TestNetworks.randomImages(32, DataType.DOUBLE, 2, 3, 16, 16);
            INDArray normalized = x.mul(scale.reshape(1, 3, 1, 1)).addi(shift.reshape(1, 3, 1, 1));
            int[] targets = {1, 2};
            INDArray expected = Lrp.builder().setModel(without).build().attribute(normalized, targets).values();
            INDArray actual = Lrp.builder().setModel(withPreprocessing).build().attribute(x, targets).values();
            assertThat(Transforms.abs(expected, true).maxNumber().doubleValue()).isGreaterThan(0);
            assertAllClose(actual, expected, 1e-10, 1e-12);
        }
    }

    @Test
    void deepLiftShapReportsItsPassesAndStopsWhenCancelled() {
        try (Nd4jImageModel model = Nd4jImageModel.of(TestNetworks.vggStyle(51), DataType.DOUBLE)) {
            INDArray x = TestNetworks.randomImages(52, DataType.DOUBLE, 2, 3, 16, 16);
            List<Baseline> baselines = List.of(Baseline.zero(), Baseline.constant(0.5), Baseline.constant(1.0));
            List<long[]> reported = new java.util.ArrayList<>();
            // 2 examples x 3 baselines = 6 pairs, 4 per pass: 2 passes.
            DeepLiftShap.builder().setModel(model).optBaselines(baselines).optInternalBatchSize(4)
                    .optProgressListener((task, done, total) -> reported.add(new long[] {done, total})).build()
                    .attribute(x, 0, 1);
            assertThat(reported).extracting(r -> r[0] + "/" + r[1]).containsExactly("1/2", "2/2");
            org.xai4j.ProgressListener cancelAfterOne = new org.xai4j.ProgressListener() {
                private int passes;

                @Override public void onProgress(String task, long done, long total) {
                    passes++;
                }

                @Override public boolean isCancelled() {
                    return passes >= 1;
                }
            };
            assertThatThrownBy(() -> DeepLift.builder().setModel(model).optInternalBatchSize(1)
                    .optProgressListener(cancelAfterOne).build().attribute(x, 0, 1))
                    .isInstanceOf(org.xai4j.ExplanationCancelledException.class);
        }
    }

    @Test
    void refusesBadSettingsAndModels() {
        ImageModel other = (ImageModel) Proxy.newProxyInstance(ImageModel.class.getClassLoader(),
                new Class<?>[] {ImageModel.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        assertThatThrownBy(() -> DeepLift.builder().setModel(other).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Nd4jImageModel");
        assertThatThrownBy(() -> Lrp.builder().setModel(other).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Nd4jImageModel");
        assertThatThrownBy(() -> DeepLiftShap.builder().build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("setModel");
        assertThatThrownBy(() -> Lrp.builder().optEpsilon(-1e-3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.001");
        assertThatThrownBy(() -> DeepLift.builder().optEpsilon(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> DeepLiftShap.builder().optBaselines(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> DeepLift.builder().optInternalBatchSize(0))
                .isInstanceOf(IllegalArgumentException.class);
        try (Nd4jImageModel model = Nd4jImageModel.of(TestNetworks.vggStyle(41), DataType.DOUBLE)) {
            INDArray x = TestNetworks.randomImages(42, DataType.DOUBLE, 3, 3, 16, 16);
            assertThatThrownBy(() -> model.gradient(x, Objective.classLogit(0, 1, 2), BackwardMode.rescale(1e-10)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("even number of rows, got 3");
            assertThatThrownBy(() -> DeepLift.builder().setModel(model)
                    .optBaseline((e, i) -> Nd4j.zeros(DataType.DOUBLE, 1, 3, 8, 8)).build().attribute(x, 0, 1, 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 3, 8, 8]");
        }
    }
}
