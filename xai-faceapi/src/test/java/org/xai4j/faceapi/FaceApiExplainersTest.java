package org.xai4j.faceapi;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.LayerSelectors;
import org.xai4j.activation.ActivationMap;
import org.xai4j.activation.GradCam;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.viz.RgbImage;

import static org.assertj.core.api.Assertions.assertThat;

/** xai4j's explainers on the face-api networks: identity attributions and the default CAM layers. */
class FaceApiExplainersTest {

    @Test
    void integratedGradientsOfTheIdentityObjectiveAreComplete() {
        try (FaceApiModel recognition = FaceApiModels.load("faceapi:recognition")) {
            RgbImage photo = FaceApiReference.photo("sample1.png");
            INDArray reference = recognition.outputs(FaceInputs.crop(photo, new FaceBox(483, 77, 76, 76), 150, true));
            INDArray input = FaceInputs.crop(photo, new FaceBox(269, 155, 72, 72), 150, true);
            DescriptorSimilarity objective = DescriptorSimilarity.to(reference.toFloatVector());
            Attribution ig = IntegratedGradients.builder().setModel(recognition.model()).optSteps(64).build()
                    .attribute(input, objective);
            assertThat(ig.shape()).containsExactly(1, 3, 150, 150);
            double fx = objective.evaluate(recognition.model(), input).getDouble(0);
            double f0 = objective.evaluate(recognition.model(), input.mul(0)).getDouble(0);
            double sum = ig.values().sumNumber().doubleValue();
            // completeness (Sundararajan et al. 2017): sum of attributions = f(x) - f(black); 64 Gauss-Legendre or
            // Riemann steps on a ResNet leave a small quadrature error, reported as the convergence delta
            assertThat(Math.abs(sum - (fx - f0))).isLessThan(0.05 * Math.abs(fx - f0));
            assertThat(Math.abs(ig.convergenceDelta()[0] - (sum - (fx - f0)))).isLessThan(1e-3 * Math.abs(fx - f0));
        }
    }

    @Test
    void gradCamFindsTheLastSpatialLayerOfEveryFaceNetwork() {
        String[][] expected = {{"expression", "dense3"}, {"landmarks", "dense3"}, {"recognition", "conv256_down_out"},
                {"age-gender", "exit_flow/separable_conv"}};
        RgbImage photo = FaceApiReference.photo("sample1.png");
        for (String[] e : expected) {
            try (FaceApiModel m = FaceApiModels.load(e[0])) {
                assertThat(LayerSelectors.lastSpatialLayerBeforeGlobalPooling(m.model())).as(e[0]).isEqualTo(e[1]);
                ActivationMap map = GradCam.builder().setModel(m.model()).build()
                        .map(FaceInputs.crop(photo, new FaceBox(475, 72, 99, 91), m.inputSize(), true), 0);
                assertThat(map.maps().shape()).as(e[0]).containsExactly(1, m.inputSize(), m.inputSize());
                assertThat(map.layer()).isEqualTo(e[1]);
            }
        }
    }
}
