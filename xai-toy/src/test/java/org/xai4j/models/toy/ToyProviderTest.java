package org.xai4j.models.toy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.GlobalRandomProbe.assertLeavesGlobalGeneratorUntouched;
import static org.xai4j.testing.NdAssertions.assertAllClose;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ImageClassifierLoader;
import org.xai4j.models.ModelProviders;
import org.xai4j.models.ModelSettings;
import org.xai4j.models.Preprocessing;
import org.xai4j.models.VggArchitecture;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.io.PngWriter;

/** The toy models through the model-provider registry ({@code toy:}), and the toy code's random-state manners. */
class ToyProviderTest {

    private static final long OTHER_SEED = 99;

    @TempDir
    Path dir;

    @Test
    void shippedToyModelsKnowTheirLabelsAndReadImagesAtTheirInputSize() throws Exception {
        try (ImageClassifier emotion = ImageClassifierLoader.builder().setSource("toy:emotion").build().load()) {
            assertThat(emotion.name()).isEqualTo(ToyModels.EMOTION_VGG);
            assertThat(emotion.labels()).isEqualTo(Emotion.displayNames());
            assertThat(emotion.inputShape()).containsExactly(3, ToyModels.SIZE, ToyModels.SIZE);
            assertThat(emotion.preprocessing()).isEqualTo(Preprocessing.UNIT);

            ToySample sample = ToyModels.faceWorld(FaceTask.EMOTION).sample(ToyModels.TEST_START);
            RgbImage image = new RgbImage(sample.pixels(), sample.height(), sample.width());
            Path png = dir.resolve("face.png");
            PngWriter.write(image.toBufferedImage(), png);
            INDArray fromFile = emotion.toInput(emotion.readImage(png));
            INDArray direct = Nd4j.create(sample.pixels(), new long[] {1, 3, sample.height(), sample.width()}, 'c');
            assertAllClose(fromFile, direct, 0, 0.5 / 255 + 1e-6); // the PNG stores 8 bits
        }
        Path names = Files.writeString(dir.resolve("names.txt"), "a\nb\nc\nd\ne\nf\n", StandardCharsets.UTF_8);
        try (ImageClassifier object = ImageClassifierLoader.builder().setSource("toy:object").optLabels(names)
                .build().load()) {
            assertThat(object.labels()).containsExactly("a", "b", "c", "d", "e", "f");
        }
    }

    @Test
    void theRegistryFindsTheToyProviderAndRefusesWhatTheToyModelsDoNotTake() {
        assertThat(ModelProviders.forSource("toy:object")).isInstanceOf(ToyProvider.class);
        assertThat(ModelProviders.known()).contains("toy:emotion");
        assertThatThrownBy(() -> ImageClassifierLoader.builder().setSource("toy:cat").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("toy:cat")
                .hasMessageContaining("toy:object").hasMessageContaining("zoo:vgg16");
        assertThatThrownBy(() -> ImageClassifierLoader.builder().setSource("toy:face")
                .optPreprocessing(Preprocessing.VGGFACE).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vggface");
        assertThatThrownBy(() -> ModelSettings.builder().setSource("toy:face").optWeights("w.h5").build())
                .hasMessageContaining("optWeights");
        assertThatThrownBy(() -> ModelSettings.builder().setSource("toy:face").optInputShape(3, 32, 32).build())
                .hasMessageContaining("[3, 64, 64]");
    }

    @Test
    void loadingAndTrainingLeaveTheGlobalGeneratorUntouched() throws Exception {
        assertLeavesGlobalGeneratorUntouched("ToyModels.objectVgg", ToyModels::objectVgg);
        VggArchitecture toy = ToyModels.objectArchitecture();
        INDArray[] params = new INDArray[1];
        assertLeavesGlobalGeneratorUntouched("ToyModelTrainer.buildNetwork",
                () -> params[0] = ToyModelTrainer.buildNetwork(toy, 11, 1e-3, 0.5).params());
        Nd4j.getRandom().setSeed(OTHER_SEED);
        assertThat(ToyModelTrainer.buildNetwork(toy, 11, 1e-3, 0.5).params()).isEqualTo(params[0]);

        ToyModelTrainer trainer = new ToyModelTrainer(new ToyModelTrainer.Settings(5, 16, 8, 8, 8, 1, 1, 1, 1,
                1e-3, 3e-3, 0.5, 0.5, 16));
        ToyModelTrainer.Result[] trained = new ToyModelTrainer.Result[1];
        assertLeavesGlobalGeneratorUntouched("ToyModelTrainer.trainFaceVgg",
                () -> trained[0] = trainer.trainFaceVgg(org.xai4j.ProgressListener.NONE));
        Nd4j.getRandom().setSeed(OTHER_SEED);
        assertThat(trainer.trainFaceVgg(org.xai4j.ProgressListener.NONE).network().params())
                .isEqualTo(trained[0].network().params());
    }
}
