package org.xai4j.onnx;

import org.xai4j.models.Preprocessing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The input gradient of every imported fixture, in double precision, against central finite differences at randomly
 * chosen input coordinates: the backward pass of every operator as the importer maps it (channel shuffles, grouped and
 * depthwise convolutions, ceil-mode pooling, squeeze-and-excitation broadcasts, hard swish, clips, layer norms, ...)
 * is checked on the graphs torch.onnx.export writes.
 */
class ImportedGradientsTest {

    /** Central-difference step: truncation ~h^2 = 1e-12 of the third derivative. */
    static final double STEP = 1e-6;
    /** Rounding floor of the difference quotient: ~2 eps |logit| / h, about 1e-9 for logits of order 1. */
    static final double ROUNDING = 2e-9;
    static final int COORDINATES = 24;

    static String[] models() {
        return TorchvisionFixturesTest.MODELS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void inputGradientMatchesFiniteDifferences(String name) throws Exception {
        OnnxModel onnx = OnnxModels.read(TorchvisionFixturesTest.folder(name).resolve(name + "_op17.onnx"));
        INDArray x = TorchvisionFixturesTest.npy(name, "input.npy");
        int target = (int) TorchvisionFixturesTest.npy(name, "logits.npy").argMax(1).getInt(0);
        try (Nd4jImageModel model = Nd4jImageModel.of(Preprocessing.IMAGENET.prependTo(onnx.spec()), DataType.DOUBLE)) {
            INDArray gradient = model.gradient(x, Objective.classLogit(target)).inputGradient();
            assertThat(gradient.shape()).containsExactly(x.shape());
            double scale = org.nd4j.linalg.ops.transforms.Transforms.abs(gradient).maxNumber().doubleValue();
            assertThat(scale).isGreaterThan(0);
            Random random = new Random(name.hashCode());
            long[] flat = new long[COORDINATES];
            INDArray batch = Nd4j.create(DataType.DOUBLE, 2L * COORDINATES, 3, 64, 64);
            INDArray source = x.reshape(3 * 64 * 64);
            for (int k = 0; k < COORDINATES; k++) {
                flat[k] = random.nextInt(3 * 64 * 64);
                for (int sign = 0; sign < 2; sign++) {
                    INDArray row = source.dup();
                    row.putScalar(flat[k], source.getDouble(flat[k]) + (sign == 0 ? STEP : -STEP));
                    batch.get(org.nd4j.linalg.indexing.NDArrayIndex.point(2L * k + sign)).assign(row.reshape(3, 64, 64));
                }
            }
            INDArray logits = model.logits(batch);
            INDArray analytic = gradient.reshape(3 * 64 * 64);
            double worst = 0;
            for (int k = 0; k < COORDINATES; k++) {
                double numeric = (logits.getDouble(2L * k, target) - logits.getDouble(2L * k + 1, target)) / (2 * STEP);
                double diff = Math.abs(numeric - analytic.getDouble(flat[k]));
                worst = Math.max(worst, diff);
                assertThat(diff).as(name + " coordinate " + flat[k] + ": analytic " + analytic.getDouble(flat[k])
                        + ", numeric " + numeric).isLessThanOrEqualTo(1e-6 * scale + ROUNDING);
            }
            System.out.println("finite differences " + name + ": max |analytic - numeric| = " + worst + ", max|gradient| = "
                    + scale);
        }
    }
}
