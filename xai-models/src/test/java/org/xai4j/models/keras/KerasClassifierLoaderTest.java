package org.xai4j.models.keras;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ImageClassifierLoader;
import org.xai4j.models.Preprocessing;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xai4j.models.keras.KerasFixtures.assertMatches;
import static org.xai4j.models.keras.KerasFixtures.npy;

/**
 * {@link ImageClassifierLoader} on the Keras fixtures (a 64x34 mini VGG16, Functional, JSON + weights, and a
 * Sequential VGGFace): the input shape is read from the file, the preprocessing embedded, and the outputs equal the
 * independent numpy forward pass of make_keras_fixtures.py.
 */
class KerasClassifierLoaderTest {

    /** The fixtures' raw RGB images as xai4j pixels: NCHW in [0, 1]. */
    private static INDArray pixels() {
        return npy("input_rgb_0_255.npy").castTo(DataType.FLOAT).div(255.0).permute(0, 3, 1, 2).dup('c');
    }

    private static Path fixture(String name) {
        return KerasFixtures.file(name).toPath();
    }

    @Test
    void functionalAndJsonPlusWeightsFilesLoadAtTheirDeclaredSize() throws Exception {
        try (ImageClassifier full = ImageClassifierLoader.builder().setSource(fixture("mini_vgg16_functional.h5"))
                .optPreprocessing(Preprocessing.CAFFE_IMAGENET).build().load();
             ImageClassifier split = ImageClassifierLoader.builder().setSource(fixture("mini_vgg16_functional.json"))
                     .optWeights(fixture("mini_vgg16_weights_only.h5"))
                     .optPreprocessing(Preprocessing.CAFFE_IMAGENET).build().load()) {
            for (ImageClassifier c : new ImageClassifier[] {full, split}) {
                assertThat(c.inputShape()).containsExactly(3, 64, 34);
                assertThat(c.labels()).containsExactly("class_0", "class_1", "class_2", "class_3", "class_4");
                assertMatches("logits of " + c.name(), c.model().logits(pixels()), npy("mini_vgg16_logits.npy"));
            }
        }
    }

    @Test
    void sequentialFileLoads() throws Exception {
        Path sequential = KerasFixtures.freshCopy("mini_vggface_sequential.h5").toPath();
        try (ImageClassifier face = ImageClassifierLoader.builder().setSource(sequential)
                .optPreprocessing(Preprocessing.VGGFACE).build().load()) {
            assertThat(face.labels()).hasSize(7).allMatch(l -> l.startsWith("class_"));
            assertMatches("VGGFace logits", face.model().logits(pixels()), npy("mini_vggface_logits.npy"));
        }
    }

    @Test
    void theDeclaredShapeIsChannelsFirst() throws Exception {
        assertThat(KerasH5Source.builder().setFile(fixture("mini_vgg16_functional.h5")).build().declaredInputShape())
                .hasValueSatisfying(s -> assertThat(s).containsExactly(3, 64, 34));
    }
}
