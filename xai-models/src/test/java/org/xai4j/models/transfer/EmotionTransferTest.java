package org.xai4j.models.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.NetworkSource;
import org.xai4j.models.TestData;
import org.xai4j.models.VGGEmotion;
import org.xai4j.models.VggArchitecture;
import org.xai4j.models.keras.KerasH5Source;

/**
 * VGGEmotion end to end on the mini VGGFace fixture (as the Keras importer gives it: NHWC, '/' names) and a generated
 * image folder whose seven classes differ in color.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmotionTransferTest {

    private static final VggArchitecture FACE = TestData.MINI.toBuilder().optNumClasses(7).build();
    private static final Color[] COLORS = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW, Color.MAGENTA,
            Color.CYAN, Color.WHITE};

    private ComputationGraph base;

    @BeforeAll
    void importBase() throws Exception {
        base = (ComputationGraph) KerasH5Source.builder().setFile(TestData.kerasFixture("mini_vggface_functional.h5")).build().load();
    }

    /** Per class, {@code count} 40x24 images: a large filled shape of the class color at a random place on dark noise. */
    private static void writeImages(Path root, List<String> classes, int count, long seed) throws IOException {
        Random random = new Random(seed);
        for (int c = 0; c < classes.size(); c++) {
            Path folder = Files.createDirectories(root.resolve(classes.get(c)));
            for (int i = 0; i < count; i++) {
                BufferedImage image = new BufferedImage(24, 40, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = image.createGraphics();
                for (int y = 0; y < 40; y++) {
                    for (int x = 0; x < 24; x++) {
                        int v = 20 + random.nextInt(40);
                        image.setRGB(x, y, new Color(v, v, v).getRGB());
                    }
                }
                g.setColor(COLORS[c]);
                int w = 16 + random.nextInt(9);
                int h = 26 + random.nextInt(15);
                int x = random.nextInt(24 - w + 1);
                int y = random.nextInt(40 - h + 1);
                if (i % 2 == 0) {
                    g.fillOval(x, y, w, h);
                } else {
                    g.fillRect(x, y, w, h);
                }
                g.dispose();
                ImageIO.write(image, i % 3 == 0 ? "jpg" : "png",
                        folder.resolve("img" + i + (i % 3 == 0 ? ".jpg" : ".png")).toFile());
            }
        }
    }

    private EmotionNetwork transfer() {
        return EmotionTransfer.builder().setBaseNetwork(base).optBaseArchitecture(FACE).optSeed(7)
                .optLearningRate(0.05).build();
    }

    @Test
    void transferFreezesTheBodyAndReinitializesTheLastConvolution() {
        EmotionNetwork emotion = transfer();
        ComputationGraph g = emotion.graph();
        assertThat(emotion.retrainedLayer()).isEqualTo("conv5_3");
        assertThat(emotion.frozenLayers()).hasSize(12).startsWith("conv1_1").endsWith("conv5_2");
        assertThat(emotion.inputFormat()).isEqualTo(CNN2DFormat.NHWC);
        assertThat(emotion.architecture()).isEqualTo(FACE.toBuilder().optNormalizedHead(true).optNumClasses(7).build());
        assertThat(g.getConfiguration().getNetworkOutputs()).containsExactly("predictions");
        assertThat(g.getConfiguration().getTopologicalOrderStr()).endsWith("conv5_3", "pool5", "batch_normalization",
                "dropout", "flatten", "predictions").doesNotContain("fc6", "fc7", "fc8", "fc8/softmax");
        for (String frozen : emotion.frozenLayers()) {
            assertThat(g.getLayer(frozen)).as(frozen).isInstanceOf(FrozenLayer.class);
        }
        assertThat(g.getLayer("conv5_3")).isNotInstanceOf(FrozenLayer.class);
        assertThat(TestData.maxAbsDiff(g.getLayer("conv5_3").getParam("W"), base.getLayer("conv5_3").getParam("W")))
                .isGreaterThan(1e-3);
        assertThat(TestData.maxAbsDiff(g.getLayer("conv4_1").getParam("W"), base.getLayer("conv4_1").getParam("W")))
                .isZero();
        // The base network is left alone.
        assertThat(base.getConfiguration().getNetworkOutputs()).containsExactly("fc8/softmax");
    }

    @Test
    void fineTuningLearnsKeepsTheBodyAndConvertsToAMatchingClassifier(@TempDir Path dir) throws Exception {
        List<String> classes = VGGEmotion.EMOTIONS;
        writeImages(dir, classes, 6, 1);
        EmotionNetwork emotion = transfer();
        ComputationGraph g = emotion.graph();
        INDArray conv53Before = g.getLayer("conv5_3").getParam("W").dup();
        List<long[]> progress = new ArrayList<>();
        FineTuneResult result = FineTuner.builder().setNetwork(emotion).setImageFolder(dir).optSeed(3)
                .optValidationFraction(0.3).optBatchSize(14).optMaxEpochs(8).optPatience(3)
                .optProgressListener((task, done, total) -> progress.add(new long[] {done, total}))
                .build().train();

        System.out.printf("[emotion] epochs=%d best=%d acc=%.3f loss=%.3f early=%s%n", result.epochs(),
                result.bestEpoch(), result.bestValidationAccuracy(), result.bestValidationLoss(), result.stoppedEarly());
        assertThat(result.trainingExamples()).isEqualTo(28);
        assertThat(result.validationExamples()).isEqualTo(14);
        assertThat(result.history()).hasSize(result.epochs());
        assertThat(result.bestValidationAccuracy()).isGreaterThan(1.0 / 7 + 0.25);
        assertThat(result.bestValidationAccuracy())
                .isEqualTo(result.history().get(result.bestEpoch() - 1).validationAccuracy());
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(progress.size() - 1)[0]).isEqualTo(result.epochs());
        assertThat(result.network()).isSameAs(g);

        for (String frozen : emotion.frozenLayers()) {
            assertThat(TestData.maxAbsDiff(g.getLayer(frozen).params(), base.getLayer(frozen).params()))
                    .as("frozen layer %s", frozen).isZero();
        }
        assertThat(TestData.maxAbsDiff(g.getLayer("conv5_3").getParam("W"), conv53Before)).isGreaterThan(1e-4);

        ImageClassifier vgg = VGGEmotion.builder().setSource(NetworkSource.inMemory(g)).optArchitecture(emotion.architecture())
                .build().load();
        assertThat(vgg.labels()).containsExactlyElementsOf(classes);
        assertThat(vgg.model().layerNames()).contains("block5_conv3", "block5_pool", "batch_normalization", "dropout",
                "flatten", "predictions");
        assertThat(((Nd4jImageModel) vgg.model()).spec().layers()).anyMatch(
                l -> l instanceof LayerSpec.ChannelAffine && l.name().equals("batch_normalization"));
        LabelledImages images = ImageFolder.read(dir, classes, 64, 34);
        FineTuner tuner = FineTuner.builder().setNetwork(emotion).setImageFolder(dir).build();
        INDArray expected = g.outputSingle(false, tuner.toNetworkInput(images.pixels()));
        double diff = TestData.maxAbsDiff(vgg.model().probabilities(images.pixels()), expected);
        System.out.printf("[emotion] SameDiff vs DL4J max|diff| = %.3g%n", diff);
        assertThat(diff).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void multiLayerNetworkBaseFromTheSequentialImportIsAccepted() throws Exception {
        MultiLayerNetwork sequential = (MultiLayerNetwork) KerasH5Source.builder().setFile(TestData.kerasFixture("mini_vggface_sequential.h5")).build().load();
        EmotionNetwork emotion = EmotionTransfer.builder().setBaseNetwork(sequential).optBaseArchitecture(FACE).build();
        assertThat(emotion.frozenLayers()).hasSize(12);
        assertThat(emotion.graph().getLayer(emotion.retrainedLayer())).isNotInstanceOf(FrozenLayer.class);
        assertThat(emotion.graph().getConfiguration().getNetworkOutputs()).containsExactly("predictions");
        assertThatThrownBy(() -> EmotionTransfer.builder().setBaseNetwork(sequential).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("block1_conv1");
        assertThatThrownBy(() -> EmotionTransfer.builder().build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("setBaseNetwork");
    }

    @Test
    void badImageFoldersAreNamed(@TempDir Path dir) throws Exception {
        List<String> classes = List.of("happy", "sad");
        assertThatThrownBy(() -> ImageFolder.read(dir.resolve("missing"), classes, 8, 8))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("missing")
                .hasMessageContaining("does not exist");

        Path root = Files.createDirectories(dir.resolve("data"));
        writeImages(root, classes, 2, 5);
        Files.createDirectories(root.resolve("bored"));
        assertThatThrownBy(() -> ImageFolder.read(root, classes, 8, 8))
                .isInstanceOf(IOException.class).hasMessageContaining("[bored]").hasMessageContaining("[happy, sad]");
        Files.delete(root.resolve("bored"));

        Path sad = root.resolve("sad");
        try (var files = Files.list(sad)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.writeString(sad.resolve("notes.txt"), "no images here");
        assertThatThrownBy(() -> ImageFolder.read(root, classes, 8, 8))
                .isInstanceOf(IOException.class).hasMessageContaining(sad.toAbsolutePath().toString())
                .hasMessageContaining("class 'sad'").hasMessageContaining("no PNG or JPEG images");
        Files.delete(sad.resolve("notes.txt"));
        Files.delete(sad);
        assertThatThrownBy(() -> ImageFolder.read(root, classes, 8, 8))
                .isInstanceOf(IOException.class).hasMessageContaining("no sub-folder for class 'sad'");

        LabelledImages happy = ImageFolder.read(root, List.of("happy"), 8, 6);
        assertThat(happy.pixels().shape()).containsExactly(2, 3, 8, 6);
        assertThat(happy.pixels().minNumber().doubleValue()).isGreaterThanOrEqualTo(0.0);
        assertThat(happy.pixels().maxNumber().doubleValue()).isLessThanOrEqualTo(1.0);
    }
}
