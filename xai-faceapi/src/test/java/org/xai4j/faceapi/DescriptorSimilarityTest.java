package org.xai4j.faceapi;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.ObjectiveGradient;
import org.xai4j.viz.RgbImage;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class DescriptorSimilarityTest {

    @Test
    void valueIsTheCosineSimilarity() {
        DescriptorSimilarity objective = new DescriptorSimilarity(new double[][] {{1, 0, 0}});
        INDArray d = Nd4j.createFromArray(new double[][] {{2, 0, 0}, {0, 3, 0}, {1, 1, 0}, {-1, 0, 0}});
        assertThat(objective.values(d).toDoubleVector()).containsExactly(new double[] {1, 0, Math.sqrt(0.5), -1},
                offset(1e-12));
    }

    @Test
    void seedGradientMatchesFiniteDifferences() {
        Random random = new Random(7);
        double[][] refs = new double[3][16];
        double[][] desc = new double[3][16];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 16; j++) {
                refs[i][j] = random.nextGaussian();
                desc[i][j] = random.nextGaussian();
            }
        }
        DescriptorSimilarity objective = new DescriptorSimilarity(refs);
        INDArray d = Nd4j.createFromArray(desc);
        INDArray seed = objective.seedGradient(d);
        assertThat(seed.shape()).containsExactly(3, 16);
        double h = 1e-6;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 16; j++) {
                INDArray plus = d.dup();
                INDArray minus = d.dup();
                plus.putScalar(new long[] {i, j}, desc[i][j] + h);
                minus.putScalar(new long[] {i, j}, desc[i][j] - h);
                double fd = (objective.values(plus).getDouble(i) - objective.values(minus).getDouble(i)) / (2 * h);
                // central differences in double precision: error O(h^2) plus rounding ~1e-10
                assertThat(seed.getDouble(i, j)).as("d s_%d / d d_%d", i, j).isCloseTo(fd, offset(1e-8));
            }
        }
    }

    /**
     * The input gradient through the recognition network, in double precision, against central finite differences of
     * the objective at the pixels with the largest gradients and at random pixels.
     */
    @Test
    void inputGradientThroughTheRecognitionNetworkMatchesFiniteDifferences() {
        try (FaceApiModel recognition = FaceApiModels.load("recognition");
             ImageModel model = ((Nd4jImageModel) recognition.model()).withDataType(DataType.DOUBLE)) {
            RgbImage face = FaceApiReference.photo("sample1.png");
            INDArray reference = recognition.outputs(FaceInputs.crop(face, new FaceBox(483, 77, 76, 76), 150, true));
            INDArray input = FaceInputs.crop(face, new FaceBox(269, 155, 72, 72), 150, true).castTo(DataType.DOUBLE);
            DescriptorSimilarity objective = DescriptorSimilarity.to(reference.toFloatVector());
            objective.validate(model, 1);
            ObjectiveGradient g = model.gradient(input, objective);
            double value = g.values().getDouble(0);
            assertThat(value).isBetween(-1.0, 1.0);
            assertThat(value).isCloseTo(objective.evaluate(model, input).getDouble(0), offset(1e-12));
            INDArray grad = g.inputGradient();
            assertThat(grad.shape()).containsExactly(1, 3, 150, 150);

            long[] order = Nd4j.sortWithIndices(org.nd4j.linalg.ops.transforms.Transforms.abs(grad.reshape(-1), true), 0, false)[0].toLongVector();
            Random random = new Random(11);
            long[] pixels = new long[10];
            for (int k = 0; k < 5; k++) {
                pixels[k] = order[k];
                pixels[5 + k] = random.nextInt((int) grad.length());
            }
            double h = 1e-5;
            double maxGrad = grad.amaxNumber().doubleValue();
            assertThat(maxGrad).isGreaterThan(0);
            for (long p : pixels) {
                INDArray plus = input.dup().reshape(-1);
                INDArray minus = input.dup().reshape(-1);
                plus.putScalar(p, plus.getDouble(p) + h);
                minus.putScalar(p, minus.getDouble(p) - h);
                double fd = (objective.evaluate(model, plus.reshape(1, 3, 150, 150)).getDouble(0)
                        - objective.evaluate(model, minus.reshape(1, 3, 150, 150)).getDouble(0)) / (2 * h);
                // double precision: truncation O(h^2) and rounding ~1e-11 / h, far below 1e-6 of the largest gradient,
                // unless a ReLU or max-pool kink lies within h of the input (not the case at these pixels)
                assertThat(grad.reshape(-1).getDouble(p)).as("pixel %d", p).isCloseTo(fd, offset(1e-6 * maxGrad));
            }
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new DescriptorSimilarity(new double[0][])).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> new DescriptorSimilarity(new double[][] {{0, 0}})).hasMessageContaining("zero vector");
        assertThatThrownBy(() -> new DescriptorSimilarity(new double[][] {{1, 2}, {1}}))
                .hasMessageContaining("reference 1 has 1 values, expected 2");
        DescriptorSimilarity two = new DescriptorSimilarity(new double[][] {{1, 2}, {3, 4}});
        assertThatThrownBy(() -> two.values(Nd4j.zeros(3, 2))).hasMessageContaining("3 descriptors for 2 references");
        assertThatThrownBy(() -> two.values(Nd4j.zeros(2, 5))).hasMessageContaining("must be [n, 2]");
        try (FaceApiModel expression = FaceApiModels.load("expression")) {
            assertThatThrownBy(() -> two.validate(expression.model(), 2))
                    .hasMessageContaining("the model outputs 7-d descriptors");
            assertThatThrownBy(() -> two.validate(expression.model(), 5)).hasMessageContaining("batch of 5");
        }
        assertThat(((DescriptorSimilarity) two.forRows(new int[] {1, 1, 0})).references()).isDeepEqualTo(new double[][] {{3, 4}, {3, 4}, {1, 2}});
    }
}
