package org.xai4j.faceapi;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.engine.ObjectiveGradient;
import org.xai4j.viz.RgbImage;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * Input gradients of every face-api network (the engine's backward through its depthwise, strided SAME, padded and
 * concatenating layers) against central finite differences in double precision, on a real face.
 */
class FaceApiGradientsTest {

    @ParameterizedTest
    @CsvSource({"expression, 1", "landmarks, 97", "age-gender, 0", "age-gender, 1", "detector, 3004"})
    void inputGradientMatchesFiniteDifferences(String name, int output) {
        try (FaceApiModel loaded = FaceApiModels.load(name);
             ImageModel model = ((Nd4jImageModel) loaded.model()).withDataType(DataType.DOUBLE)) {
            RgbImage photo = FaceApiReference.photo("sample1.png");
            FaceBox region = loaded.head() == FaceApiModel.Head.DETECTOR
                    ? new FaceBox(0, 0, photo.width(), photo.height()) : new FaceBox(475, 72, 99, 91);
            INDArray input = FaceInputs.crop(photo, region, loaded.inputSize(),
                    loaded.head() != FaceApiModel.Head.DETECTOR).castTo(DataType.DOUBLE);
            Objective objective = Objective.classLogit(output);
            ObjectiveGradient g = model.gradient(input, objective);
            INDArray grad = g.inputGradient().reshape(-1);
            double maxGrad = grad.amaxNumber().doubleValue();
            assertThat(maxGrad).isGreaterThan(0);
            long[] shape = input.shape();
            // Candidates inside a window of real face pixels: the black square padding (and, for the detector, the
            // padding below the photo) is flat, where max-pooling ties make the function non-differentiable.
            int size = (int) shape[2];
            int[] window = loaded.head() == FaceApiModel.Head.DETECTOR
                    ? new int[] {47, 106, 309, 373} // the face at (475, 72, 99, 91) in the photo, scaled by 416 / 640
                    : new int[] {size / 5, 4 * size / 5, size / 5, 4 * size / 5};
            java.util.List<Long> candidates = new java.util.ArrayList<>();
            for (int c = 0; c < 3; c++) {
                for (int y = window[0]; y < window[1]; y++) {
                    for (int x = window[2]; x < window[3]; x++) {
                        candidates.add(((long) c * size + y) * size + x);
                    }
                }
            }
            candidates.sort(java.util.Comparator.comparingDouble(p -> -Math.abs(grad.getDouble(p))));
            Random random = new Random(5);
            long[] pixels = {candidates.get(0), candidates.get(1), candidates.get(2),
                    candidates.get(random.nextInt(candidates.size())), candidates.get(random.nextInt(candidates.size()))};
            double h = 1e-5;
            for (long p : pixels) {
                INDArray plus = input.dup().reshape(-1);
                INDArray minus = input.dup().reshape(-1);
                plus.putScalar(p, plus.getDouble(p) + h);
                minus.putScalar(p, minus.getDouble(p) - h);
                double fd = (objective.evaluate(model, plus.reshape(shape)).getDouble(0)
                        - objective.evaluate(model, minus.reshape(shape)).getDouble(0)) / (2 * h);
                // double precision: O(h^2) truncation and ~1e-11 / h rounding, well below 1e-5 of the largest
                // gradient unless a ReLU/max-pool kink lies within h (not at these pixels)
                assertThat(grad.getDouble(p)).as("%s output %d pixel %d", name, output, p)
                        .isCloseTo(fd, offset(1e-5 * maxGrad));
            }
        }
    }
}
