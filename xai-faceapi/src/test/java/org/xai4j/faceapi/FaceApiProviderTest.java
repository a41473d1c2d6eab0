package org.xai4j.faceapi;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ImageClassifierLoader;
import org.xai4j.models.ModelProviders;
import org.xai4j.models.ModelSettings;
import org.xai4j.models.Preprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** face-api's networks through the model-provider registry, as every command and Spark name them. */
class FaceApiProviderTest {

    @Test
    void theRegistryFindsTheProviderByItsSchemeAndLoadsTheSameNetwork() throws Exception {
        assertThat(ModelProviders.forSource("faceapi:expression")).isInstanceOf(FaceApiProvider.class);
        assertThat(ModelProviders.known()).contains("faceapi:recognition");
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 112, 112);
        try (ImageClassifier c = ImageClassifierLoader.builder().setSource("faceapi:expression").build().load();
             FaceApiModel direct = FaceApiModels.load("expression")) {
            assertThat(c.name()).isEqualTo("faceapi:expression");
            assertThat(c.labels()).isEqualTo(direct.labels());
            assertThat(c.inputShape()).containsExactly(3, 112, 112);
            assertThat(c.preprocessing()).isSameAs(FaceApiPreprocessing.FACE.preprocessing());
            // the same shipped weights built the same graph: the same computation, bit for bit
            assertThat(c.model().logits(x).equalsWithEps(direct.model().logits(x), 0)).isTrue();
        }
    }

    @Test
    void preprocessingIsFaceApisMeansOverTwoHundredFiftyFive() {
        INDArray pixels = Nd4j.createFromArray(new double[] {0.5, 0.5, 0.5}).reshape(1, 3, 1, 1);
        INDArray out = FaceApiPreprocessing.FACE.preprocessing().apply(pixels);
        double[] mean = FaceApiPreprocessing.FACE.meanRgb();
        for (int c = 0; c < 3; c++) {
            assertThat(out.getDouble(0, c, 0, 0)).isCloseTo(0.5 - mean[c] / 255, org.assertj.core.api.Assertions.within(1e-12));
        }
    }

    @Test
    void settingsTheNetworksDoNotTakeAreRefused() {
        assertThatThrownBy(() -> ModelSettings.builder().setSource("faceapi:emotion").build())
                .hasMessageContaining("'faceapi:emotion'").hasMessageContaining("faceapi:expression");
        assertThatThrownBy(() -> ModelSettings.builder().setSource("faceapi:expression")
                .optPreprocessing(Preprocessing.IMAGENET).build()).hasMessageContaining("own normalization");
        assertThatThrownBy(() -> ModelSettings.builder().setSource("faceapi:recognition").optInputShape(3, 64, 64)
                .build()).hasMessageContaining("fixed input size");
        assertThatThrownBy(() -> ModelSettings.builder().setSource("faceapi:detector").optInputShape(3, 100, 100)
                .build()).hasMessageContaining("multiple of 32");
    }
}
