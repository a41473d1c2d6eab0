package org.xai4j.faceapi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaceApiModelsNamesTest {

    @Test
    void modelsComeWithLabelsShapesAndPreprocessing() {
        try (FaceApiModel m = FaceApiModels.load("faceapi:expression")) {
            assertThat(m.labels()).containsExactly("neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised");
            assertThat(m.inputShape()).containsExactly(3, 112, 112);
            assertThat(m.preprocessing()).isEqualTo(FaceApiPreprocessing.FACE);
            assertThat(m.model().layerNames()).contains("preprocessing_affine", "dense0/conv0", "dense3", "fc");
        }
        try (FaceApiModel m = FaceApiModels.load("recognition")) {
            assertThat(m.head()).isEqualTo(FaceApiModel.Head.DESCRIPTOR);
            assertThat(m.inputShape()).containsExactly(3, 150, 150);
            assertThat(m.labels()).hasSize(128);
            assertThat(m.model().layerNames()).contains("conv32_down", "conv256_down_out", "fc");
        }
        try (FaceApiModel m = FaceApiModels.load("faceapi:age-gender")) {
            assertThat(m.labels()).containsExactly("age", "male", "female");
        }
        try (FaceApiModel m = FaceApiModels.load("faceapi:detector")) {
            assertThat(m.head()).isEqualTo(FaceApiModel.Head.DETECTOR);
            assertThat(m.preprocessing()).isEqualTo(FaceApiPreprocessing.TINY_FACE_DETECTOR);
            assertThat(m.labels()).hasSize(13 * 13 * 25);
        }
    }

    @Test
    void unknownNamesAreRefusedWithTheValidOnes() {
        assertThatThrownBy(() -> FaceApiModels.load("faceapi:emotion"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'faceapi:emotion'").hasMessageContaining("faceapi:expression");
        assertThatThrownBy(() -> FaceApiModels.load(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> FaceApiModels.detector(100)).hasMessageContaining("multiple of 32");
    }

    @Test
    void shippedPhotosAreReadable() {
        for (String name : FaceApiPhotos.NAMES) {
            assertThat(FaceApiPhotos.read(name).width()).as(name).isEqualTo(640);
        }
        assertThatThrownBy(() -> FaceApiPhotos.read("sample7.png")).hasMessageContaining("sample1.png");
    }
}
