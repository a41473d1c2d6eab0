package org.xai4j.models.sanity;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.xai4j.attribution.Baseline;
import org.xai4j.attribution.InputXGradient;
import org.xai4j.attribution.Saliency;
import org.xai4j.models.dl4j.Dl4jNetworkConverter;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.sanity.*;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SanityChecksTest {

    private static final int SIZE = 12;
    private static Nd4jImageModel model;
    private static INDArray images;
    private static INDArray masks;
    private static int[] labels;

    /** Dark noisy images with a bright 4x4 square in the left (class 0) or right (class 1) half. */
    private static Object[] squares(int n, long seed) {
        Random random = new Random(seed);
        INDArray x = Nd4j.create(DataType.FLOAT, n, 1, SIZE, SIZE);
        INDArray mask = Nd4j.zeros(DataType.FLOAT, n, SIZE, SIZE);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 2);
        int[] label = new int[n];
        for (int i = 0; i < n; i++) {
            label[i] = i % 2;
            int x0 = label[i] == 0 ? random.nextInt(3) : 5 + random.nextInt(3);
            int y0 = random.nextInt(SIZE - 3);
            for (int c = 0; c < 1; c++) {
                for (int r = 0; r < SIZE; r++) {
                    for (int col = 0; col < SIZE; col++) {
                        boolean in = r >= y0 && r < y0 + 4 && col >= x0 && col < x0 + 4;
                        x.putScalar(new long[] {i, c, r, col}, in ? 0.8 + 0.2 * random.nextDouble() : 0.3 * random.nextDouble());
                        if (in) {
                            mask.putScalar(new long[] {i, r, col}, 1);
                        }
                    }
                }
            }
            y.putScalar(i, label[i], 1);
        }
        return new Object[] {x, y, mask, label};
    }

    @BeforeAll
    static void trainATinyCnn() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(5).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).updater(new Adam(0.02))
                .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv1").nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).name("pool1").kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv2").nOut(6).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(SIZE, SIZE, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Object[] train = squares(64, 1);
        DataSet data = new DataSet((INDArray) train[0], (INDArray) train[1]);
        for (int i = 0; i < 30; i++) {
            net.fit(data);
        }
        model = Dl4jNetworkConverter.convert(net, 1, SIZE, SIZE);
        Object[] test = squares(8, 2);
        images = (INDArray) test[0];
        masks = (INDArray) test[2];
        labels = (int[]) test[3];
    }

    @Test
    void theTrainedModelSolvesItsTask() {
        int[] predicted = org.xai4j.Predictions.predictedClasses(model, images);
        assertThat(predicted).containsExactly(labels);
    }

    @Test
    void cascadingRandomizationDecorrelatesGradientMaps() {
        RandomizationResult saliency = ModelRandomization.builder().setModel(model)
                .setExplainer(MapExplainer.attribution(m -> Saliency.builder().setModel(m).optAbsolute(true).build())).optSeed(3).build().run(images, labels);
        assertThat(saliency.layers()).containsExactly("out", "conv2", "conv1");
        double[] mean = saliency.meanSpearman();
                assertThat(mean[mean.length - 1]).as(saliency.toString()).isLessThan(0.5);
        assertThat(saliency.toString()).contains("+out=", "+conv1=");
        RandomizationResult ixg = ModelRandomization.builder().setModel(model).optLayers(List.of("out", "conv2"))
                .setExplainer(MapExplainer.attribution(m -> InputXGradient.builder().setModel(m).build())).build().run(images, labels);
        // Input x gradient stays partly tied to the input itself (as Adebayo et al. observe), but still drops.
        assertThat(ixg.meanSpearman()[1]).as(ixg.toString()).isLessThan(0.9).isGreaterThan(mean[mean.length - 1]);
        // Deterministic under a seed.
        assertThat(ModelRandomization.builder().setModel(model).setExplainer(MapExplainer.attribution(m -> Saliency.builder().setModel(m).optAbsolute(true).build()))
                .optSeed(3).build().run(images, labels).spearman()).isDeepEqualTo(saliency.spearman());
    }

    @Test
    void deletingASaliencyMapHurtsMoreThanDeletingARandomMap() {
        PerturbationCurves curves = PerturbationCurves.builder().setModel(model).optSteps(12).optBatchSize(13).build();
        INDArray good = Saliency.builder().setModel(model).optAbsolute(true).build().attribute(images, labels).values();
        Nd4j.getRandom().setSeed(4);
        INDArray random = Nd4j.rand(DataType.DOUBLE, 8, SIZE, SIZE);
        PerturbationCurve goodDeletion = curves.deletion(images, good, labels);
        PerturbationCurve randomDeletion = curves.deletion(images, random, labels);
        PerturbationCurve maskDeletion = curves.deletion(images, masks, labels);
        assertThat(goodDeletion.meanAuc()).isLessThan(randomDeletion.meanAuc());
        assertThat(maskDeletion.meanAuc()).isLessThan(randomDeletion.meanAuc());
        PerturbationCurve goodInsertion = curves.insertion(images, good, labels);
        PerturbationCurve randomInsertion = curves.insertion(images, random, labels);
        assertThat(goodInsertion.meanAuc()).isGreaterThan(randomInsertion.meanAuc());
        // The curve starts at the image's score and ends at the baseline's.
        double[] p = model.probabilities(images).getColumn(0).toDoubleVector();
        double blackScore = model.probabilities(Nd4j.zeros(DataType.FLOAT, 1, 1, SIZE, SIZE)).getDouble(0, labels[0]);
        assertThat(goodDeletion.scores()[0][0]).isCloseTo(p[0], within(1e-5));
        assertThat(goodDeletion.scores()[0][12]).isCloseTo(blackScore, within(1e-5));
        assertThat(goodDeletion.fractions()).hasSize(13).startsWith(0.0).endsWith(1.0);
        // Batch size does not change the curve beyond float rounding: oneDNN picks its kernel (and so its summation
        // order) by batch size and CPU, so batches of 5 and 13 may differ in the last bits (seen on AMD EPYC:
        // 0.4119417667 vs 0.4119417071). Probabilities are float32, hence 1e-6.
        INDArray two = images.get(NDArrayIndex.interval(0, 2));
        INDArray twoMaps = good.get(NDArrayIndex.interval(0, 2));
        int[] twoLabels = {labels[0], labels[1]};
        double[][] rebatched = PerturbationCurves.builder().setModel(model).optSteps(12).optBatchSize(5).build()
                .deletion(two, twoMaps, twoLabels).scores();
        assertThat(rebatched).hasDimensions(2, 13);
        for (int i = 0; i < 2; i++) {
            assertThat(rebatched[i]).containsExactly(goodDeletion.scores()[i], within(1e-6));
        }
        PerturbationCurve gray = PerturbationCurves.builder().setModel(model).optSteps(12).optBaseline(Baseline.constant(0.5))
                .build().deletion(two, twoMaps, twoLabels);
        assertThat(gray.scores()[0][12]).isCloseTo(model.probabilities(Nd4j.valueArrayOf(new long[] {1, 1, SIZE, SIZE}, 0.5f))
                .getDouble(0, labels[0]), within(1e-5));
        assertThatThrownBy(() -> curves.deletion(images, Nd4j.rand(DataType.DOUBLE, 8, 5, 5), labels))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[8, 12, 12]");
    }

    @Test
    void relevanceMassAndPointingGameOnHandMadeMaps() {
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, 4, 4);
        mask.putScalar(new long[] {1, 1}, 1);
        mask.putScalar(new long[] {1, 2}, 1);
        INDArray maps = Nd4j.zeros(DataType.DOUBLE, 4, 4, 4);
        // Image 0: all relevance inside, peak inside.
        maps.putScalar(new long[] {0, 1, 1}, 3);
        maps.putScalar(new long[] {0, 1, 2}, 1);
        // Image 1: 1/4 inside; peak outside, 2 pixels away from the mask.
        maps.putScalar(new long[] {1, 1, 1}, 1);
        maps.putScalar(new long[] {1, 3, 2}, 3);
        maps.putScalar(new long[] {1, 0, 0}, -5);   // negative relevance is ignored
        // Image 2: nothing positive.
        maps.putScalar(new long[] {2, 1, 1}, -1);
        // Image 3: uniform: relevance mass = 2/16, first maximum (0, 0) is sqrt(2) from the mask.
        maps.get(org.nd4j.linalg.indexing.NDArrayIndex.point(3)).assign(1);
        LocalizationScores exact = Localization.evaluate(maps, mask, 0);
        assertThat(exact.relevanceMass()).containsExactly(new double[] {1, 0.25, 0, 0.125}, within(1e-12));
        assertThat(exact.hits()).containsExactly(true, false, false, false);
        assertThat(exact.pointingAccuracy()).isEqualTo(0.25);
        assertThat(Localization.pointingGame(maps, mask, 1.5)).containsExactly(true, false, false, true);
        assertThat(Localization.pointingGame(maps, mask, 2)).containsExactly(true, true, false, true);
        assertThat(exact.toString()).contains("meanRelevanceMass=0.344", "pointingAccuracy=0.250");
        // Color maps are summed over channels; per-image masks are accepted.
        INDArray color = maps.reshape(4, 1, 4, 4).repeat(1, 3);
        assertThat(Localization.relevanceMass(color, mask.reshape(1, 4, 4).repeat(0, 4)))
                .containsExactly(new double[] {1, 0.25, 0, 0.125}, within(1e-12));
        assertThatThrownBy(() -> Localization.evaluate(maps, Nd4j.zeros(3, 3), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3, 3]");
    }

    @Test
    void badInputIsRejected() {
        assertThatThrownBy(() -> ModelRandomization.builder().setModel(model)
                .setExplainer(MapExplainer.attribution(m -> Saliency.builder().setModel(m).build())).optLayers(List.of("pool1")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pool1").hasMessageContaining("conv1");
        assertThatThrownBy(() -> ModelRandomization.builder().setModel(model)
                .setExplainer(MapExplainer.attribution(m -> Saliency.builder().setModel(m).build())).optLayers(List.of("conv7")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("conv7");
        assertThatThrownBy(() -> ModelRandomization.builder().setModel(model).build())
                .hasMessageContaining("setExplainer");
    }
}
