package org.xai4j.models.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.models.keras.KerasFixtures.assertMatches;
import static org.xai4j.models.keras.KerasFixtures.npy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.InputSpace;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.TestData;
import org.xai4j.models.VGG16;
import org.xai4j.models.VGGFace;
import org.xai4j.models.VggArchitecture;
import org.xai4j.models.VggLayout;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.nd4j.ImageArrays;

/**
 * The VGG16 and VGGFace adapters on the Keras fixtures: pixel-space models reproduce the numpy references of
 * make_keras_fixtures.py (which fed RGB->BGR, mean-subtracted 0-255 images), and bad files fail with clear messages.
 */
class KerasVggLoaderTest {

    private static final VggArchitecture FACE = TestData.MINI.toBuilder().optNumClasses(7).build();

    /** The fixtures' raw RGB images as xai4j pixels: NCHW in [0, 1]. */
    private static INDArray pixels() {
        return npy("input_rgb_0_255.npy").castTo(DataType.FLOAT).div(255.0).permute(0, 3, 1, 2).dup('c');
    }

    private static INDArray nchw(INDArray nhwc) {
        return nhwc.permute(0, 3, 1, 2).dup('c');
    }

    private static Path fixture(String name) {
        return KerasFixtures.file(name).toPath();
    }

    private static List<String> expectedNames(VggArchitecture a) {
        List<String> names = new ArrayList<>(List.of("preprocessing_bgr", "preprocessing_affine"));
        names.addAll(modelNames(a));
        return names;
    }

    private static List<String> modelNames(VggArchitecture a) {
        return new ArrayList<>(VggLayout.layerNames(a));
    }

    @Test
    void vgg16FunctionalMatchesTheReferenceInPixelSpace() throws Exception {
        ImageClassifier vgg = VGG16.builder().setSource(KerasH5Source.builder().setFile(fixture("mini_vgg16_functional.h5")).build())
                .optArchitecture(TestData.MINI).build().load();
        assertThat(vgg.model().layerNames()).containsExactlyElementsOf(expectedNames(TestData.MINI));
        assertThat(vgg.model().inputShape()).containsExactly(3, 64, 34);
        assertThat(vgg.labels()).containsExactly("class_0", "class_1", "class_2", "class_3", "class_4");
        INDArray x = pixels();
        assertMatches("VGG16 adapter logits", vgg.model().logits(x), npy("mini_vgg16_logits.npy"));
        assertMatches("VGG16 adapter probabilities", vgg.model().probabilities(x), npy("mini_vgg16_softmax.npy"));
        assertMatches("VGG16 adapter block5_conv3", vgg.model().activations(x, "block5_conv3"),
                nchw(npy("mini_vgg16_block5_conv3.npy")));
        assertThat(vgg.model().layerShape("block5_conv3")).containsExactly(8, 4, 2);
    }

    @Test
    void modelInputSpaceTakesThePreprocessedInput() throws Exception {
        ImageClassifier vgg = VGG16.builder().setSource(KerasH5Source.builder().setFile(fixture("mini_vgg16_functional.h5")).build())
                .optArchitecture(TestData.MINI).optInputSpace(InputSpace.MODEL).build().load();
        assertThat(vgg.model().layerNames()).containsExactlyElementsOf(modelNames(TestData.MINI));
        assertMatches("VGG16 model-space logits", vgg.model().logits(nchw(npy("mini_vgg16_input.npy"))),
                npy("mini_vgg16_logits.npy"));
        assertMatches("VGG16 toModelInput", vgg.model().logits(vgg.toModelInput(pixels())),
                npy("mini_vgg16_logits.npy"));
        assertThat(vgg.inputSpace()).isEqualTo(InputSpace.MODEL);
        // images become the network's own input too: toInput preprocesses in MODEL space
        INDArray pixels = pixels();
        RgbImage[] images = new RgbImage[(int) pixels.size(0)];
        for (int i = 0; i < images.length; i++) {
            images[i] = ImageArrays.toImage(pixels, i);
        }
        assertMatches("VGG16 toInput", vgg.model().logits(vgg.toInput(images)), npy("mini_vgg16_logits.npy"));
    }

    @Test
    void weightsOnlyFileWithJsonMatchesTheReference() throws Exception {
        ImageClassifier vgg = VGG16.builder().setSource(KerasH5Source.builder().setFile(fixture("mini_vgg16_functional.json")).optWeights(fixture("mini_vgg16_weights_only.h5")).build()).optArchitecture(TestData.MINI).build().load();
        assertMatches("VGG16 json+weights logits", vgg.model().logits(pixels()), npy("mini_vgg16_logits.npy"));
    }

    @Test
    void vggFaceFunctionalAndSequentialMatchTheReferenceUnderKerasNames() throws Exception {
        Path sequential = KerasFixtures.freshCopy("mini_vggface_sequential.h5").toPath();
        String before = sha256(sequential);
        for (Path file : List.of(fixture("mini_vggface_functional.h5"), sequential)) {
            ImageClassifier face = VGGFace.builder().setSource(KerasH5Source.builder().setFile(file).build()).optArchitecture(FACE).build().load();
            assertThat(face.model().layerNames()).containsExactlyElementsOf(expectedNames(FACE));
            INDArray x = pixels();
            assertMatches("VGGFace logits " + file.getFileName(), face.model().logits(x),
                    npy("mini_vggface_logits.npy"));
            assertMatches("VGGFace block5_conv3 " + file.getFileName(), face.model().activations(x, "block5_conv3"),
                    nchw(npy("mini_vggface_conv5_3.npy")));
        }
        // The '/' workaround patched a temporary copy, never the user's file.
        assertThat(sha256(sequential)).isEqualTo(before);
    }

    @Test
    void vggFaceLabelsFileIsReadAndItsCountChecked(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("names.txt");
        Files.writeString(good, "Ann\nBob\nCid\nDee\nEve\nFay\nGus\n\n", StandardCharsets.UTF_8);
        ImageClassifier face = VGGFace.builder().setSource(KerasH5Source.builder().setFile(fixture("mini_vggface_functional.h5")).build())
                .optArchitecture(FACE).optLabelsFile(good).build().load();
        assertThat(face.labels()).containsExactly("Ann", "Bob", "Cid", "Dee", "Eve", "Fay", "Gus");
        assertThat(face.label(3)).isEqualTo("Dee");

        Path bad = dir.resolve("six.txt");
        Files.writeString(bad, "a\nb\nc\nd\ne\nf\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> VGGFace.builder().setSource(KerasH5Source.builder().setFile(fixture("mini_vggface_functional.h5")).build())
                .optArchitecture(FACE).optLabelsFile(bad).build().load())
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(bad.toAbsolutePath().toString())
                .hasMessageContaining("has 6 labels")
                .hasMessageContaining("expected 7");
        assertThatThrownBy(() -> VGGFace.builder().setSource(KerasH5Source.builder().setFile(fixture("mini_vggface_functional.h5")).build())
                .optLabelsFile(dir.resolve("none.txt")).build().load())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("none.txt").hasMessageContaining("does not exist");
    }

    @Test
    void missingAndNonHdf5FilesAreRejectedBeforeDl4j(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nope.h5");
        assertThatThrownBy(() -> KerasH5Source.builder().setFile(missing).build().load())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
        Path text = dir.resolve("notes.h5");
        Files.writeString(text, "this is not a model\n");
        assertThatThrownBy(() -> KerasH5Source.builder().setFile(text).build().load())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining(text.toString())
                .hasMessageContaining("not an HDF5 file");
    }

    @Test
    void truncatedFileIsReportedAsTruncated() {
        Path truncated = fixture("mini_vgg16_truncated.h5");
        assertThatThrownBy(() -> KerasH5Source.builder().setFile(truncated).build().load())
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(truncated.toAbsolutePath().toString())
                .hasMessageContaining("is truncated")
                .hasMessageContaining("the file has 16384");
    }

    @Test
    void missingWeightNamesTheLayer() {
        Path file = fixture("mini_vgg16_missing_weight.h5");
        assertThatThrownBy(() -> KerasH5Source.builder().setFile(file).build().load())
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("layer 'block4_conv2' (Conv2D) is missing its kernel weights")
                .hasMessageContaining("model_weights/block4_conv2/block4_conv2/kernel:0");
    }

    @Test
    void wrongArchitectureIsDetected() {
        Path file = fixture("mini_vgg16_wrong_architecture.h5");
        assertThatThrownBy(() -> VGG16.builder().setSource(KerasH5Source.builder().setFile(file).build()).optArchitecture(TestData.MINI)
                .build().load())
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("not a VGG16 network")
                .hasMessageContaining("should be 'block4_conv1'")
                .hasMessageContaining("it maps 8 -> 12 channels");
    }

    @Test
    void wrongNumberOfClassesAndWeightsOnlyFileAreReported() {
        Path file = fixture("mini_vgg16_functional.h5");
        assertThatThrownBy(() -> VGG16.builder().setSource(KerasH5Source.builder().setFile(file).build())
                .optArchitecture(TestData.MINI.toBuilder().optNumClasses(6).build()).build().load())
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("has 5 output classes")
                .hasMessageContaining("expects 6");
        Path weightsOnly = fixture("mini_vgg16_weights_only.h5");
        assertThatThrownBy(() -> KerasH5Source.builder().setFile(weightsOnly).build().load())
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("weights-only file")
                .hasMessageContaining("KerasH5Source.builder().setFile(modelJson).optWeights(weightsH5).build()");
        assertThatThrownBy(() -> VGG16.builder().build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("setSource");
    }

    @Test
    void realVgg16DefaultsAndImageNetLabels() {
        assertThat(VGG16.architecture().inputShape()).containsExactly(3, 224, 224);
        assertThat(VGG16.architecture().flattenedSize()).isEqualTo(25088);
        assertThat(VGG16.architecture().numClasses()).isEqualTo(1000);
        assertThat(VGGFace.architecture().numClasses()).isEqualTo(2622);
        List<String> labels = VGG16.imageNetLabels();
        assertThat(labels).hasSize(1000);
        // The keras file's short names are not unique: 'crane' (bird 134, machine 517), 'maillot' (638, 639).
        assertThat(new java.util.HashSet<>(labels)).hasSize(998);
        assertThat(labels.get(134)).isEqualTo("crane");
        assertThat(labels.get(517)).isEqualTo("crane");
        assertThat(labels.get(0)).isEqualTo("tench");
        assertThat(labels.get(355)).isEqualTo("llama");
        assertThat(labels.get(386)).isEqualTo("African_elephant");
        assertThat(labels.get(999)).isEqualTo("toilet_tissue");
        assertThat(VGG16.imageNetWordNetIds().get(0)).isEqualTo("n01440764");
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
