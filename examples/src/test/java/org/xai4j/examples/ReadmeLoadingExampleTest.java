package org.xai4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.Predictions;
import org.xai4j.explainers.Explainer;
import org.xai4j.explainers.ExplanationMethod;
import org.xai4j.explainers.Explanation;
import org.xai4j.io.Npy;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ImageClassifierLoader;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.Preprocessing;
import org.xai4j.models.toy.FaceTask;
import org.xai4j.models.toy.ToyModels;
import org.xai4j.viz.AttributionVisualizer;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.VisualizationMethod;
import org.xai4j.viz.io.PngWriter;
import org.xai4j.viz.nd4j.ImageArrays;

/** The README's "Loading a model and explaining an image file" example, on the toy ObjectVGG's zip instead of vgg16.h5. */
class ReadmeLoadingExampleTest {

    @TempDir
    Path dir;

    @Test
    void loadingExampleWritesAnOverlayAndTheRawMap() throws IOException, ModelLoadException {
        Path model = dir.resolve("vgg16.zip");
        try (java.io.InputStream in = ToyModels.class.getResourceAsStream(ToyModels.OBJECT_VGG_ZIP)) {
            Files.copy(in, model);
        }
        Files.writeString(dir.resolve("imagenet-labels.txt"), "a\nb\nc\nd\ne\nf\n", StandardCharsets.UTF_8);
        ImageIO.write(ToyModels.faceWorld(FaceTask.EMOTION).sample(ToyModels.TEST_START).toBufferedImage(), "jpg",
                dir.resolve("cat.jpg").toFile());
        Path cam = dir.resolve("cam.png");
        Path npy = dir.resolve("cam.npy");
        INDArray x;
        Explanation e;
        // --- README example starts here (paths resolved against the test folder) ---
        try (ImageClassifier classifier = ImageClassifierLoader.builder()
                .setSource(model)
                .optPreprocessing(Preprocessing.CAFFE_IMAGENET)
                .optLabels(dir.resolve("imagenet-labels.txt"))
                .build()
                .load()) {
            RgbImage image = classifier.readImage(dir.resolve("cat.jpg"));
            x = classifier.toInput(image);
            e = Explainer.builder().setMethod(ExplanationMethod.fromId("gradcam")).build()
                    .run(classifier.model(), x);
            PngWriter.write(AttributionVisualizer.builder().build()
                    .render(ImageArrays.toMap(e.values(), 0), image, VisualizationMethod.BLENDED_HEAT_MAP), cam);
            Npy.write(npy, e.values());
            // --- README example ends here ---
            assertThat(e.targets()).containsExactly(Predictions.predictedClasses(classifier.model(), x));
            assertThat(classifier.label(e.targets()[0])).isIn("a", "b", "c", "d", "e", "f");
        }
        assertThat(e.layer()).isEqualTo("block5_conv3");
        assertThat(ImageIO.read(cam.toFile()).getWidth()).isEqualTo(64);
        assertThat(Npy.read(npy).shape()).containsExactly(1, 64, 64);
    }
}
