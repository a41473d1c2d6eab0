package org.xai4j.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xai4j.testing.GlobalRandomProbe.assertLeavesGlobalGeneratorUntouched;
import static org.xai4j.testing.GlobalRandomProbe.leavesGlobalGeneratorUntouched;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.models.dl4j.ModelZipSource;
import org.xai4j.models.keras.KerasH5Source;
import org.xai4j.models.transfer.EmotionNetwork;
import org.xai4j.models.transfer.EmotionTransfer;
import org.xai4j.models.transfer.FineTuneResult;
import org.xai4j.models.transfer.FineTuner;

/**
 * DL4J reseeds the calling thread's ND4J generator when it builds a network and draws from it in {@code init} and
 * {@code fit} (dropout); xai4j's loaders, transfer and training leave that generator exactly as they found it, and
 * their results depend on their own seeds only, not on the generator's state before the call.
 */
class GlobalRandomStateTest {

    /** A seed other than the probe's, to put the global generator in another state. */
    private static final long OTHER_SEED = 777;
    private static final VggArchitecture FACE = TestData.MINI.toBuilder().optNumClasses(7).build();

    @TempDir
    static Path dir;
    private static ComputationGraph vggFace;

    @BeforeAll
    static void importBase() throws Exception {
        vggFace = (ComputationGraph) KerasH5Source.builder().setFile(TestData.kerasFixture("mini_vggface_functional.h5")).build().load();
    }

    @Test
    void dl4jItselfReseedsTheGlobalGenerator() throws Exception {
        // what the library guards against: building a network directly changes the caller's generator
        assertThat(leavesGlobalGeneratorUntouched(() -> TestData.tinyMultiLayerNetwork(3))).isFalse();
    }

    @Test
    void loadersLeaveTheGlobalGeneratorUntouched() throws Exception {
        Path zip = dir.resolve("tiny.zip");
        ModelSerializer.writeModel(TestData.tinyMultiLayerNetwork(3), zip.toFile(), false);
        assertLeavesGlobalGeneratorUntouched("KerasH5Source.load",
                () -> KerasH5Source.builder().setFile(TestData.kerasFixture("mini_vgg16_functional.h5")).build().load());
        assertLeavesGlobalGeneratorUntouched("ModelZipSource.load", () -> ModelZipSource.builder().setFile(zip).build().load());
    }

    @Test
    void transferAndNetworkBuildingAreSeededByTheirOwnSeed() throws Exception {
        INDArray[] params = new INDArray[2];
        assertLeavesGlobalGeneratorUntouched("EmotionTransfer.build", () -> params[0] = transfer().graph().params());
        Nd4j.getRandom().setSeed(OTHER_SEED);
        assertThat(transfer().graph().params()).isEqualTo(params[0]);

    }

    @Test
    void trainingWithDropoutIsReproducibleAndLeavesTheGlobalGeneratorUntouched() throws Exception {
        Path images = writeImages(dir.resolve("emotions"), VGGEmotion.EMOTIONS, 4);
        FineTuneResult[] result = new FineTuneResult[1];
        assertLeavesGlobalGeneratorUntouched("FineTuner.train", () -> result[0] = fineTune(images));
        Nd4j.getRandom().setSeed(OTHER_SEED);
        Nd4j.rand(DataType.FLOAT, 7);
        FineTuneResult again = fineTune(images);
        assertThat(again.network().params()).isEqualTo(result[0].network().params());
        assertThat(again.history()).isEqualTo(result[0].history());

    }

    private static EmotionNetwork transfer() {
        return EmotionTransfer.builder().setBaseNetwork(vggFace).optBaseArchitecture(FACE).optSeed(7)
                .optLearningRate(0.05).build();
    }

    private static FineTuneResult fineTune(Path images) throws IOException {
        return FineTuner.builder().setNetwork(transfer()).setImageFolder(images).optSeed(3)
                .optValidationFraction(0.25).optBatchSize(7).optMaxEpochs(1).optPatience(1).build().train();
    }

    /** Per class, {@code count} 24x40 images of the class color over seeded gray noise. */
    private static Path writeImages(Path root, List<String> classes, int count) throws IOException {
        Color[] colors = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW, Color.MAGENTA, Color.CYAN, Color.WHITE};
        Random random = new Random(1);
        for (int c = 0; c < classes.size(); c++) {
            Path folder = Files.createDirectories(root.resolve(classes.get(c)));
            for (int i = 0; i < count; i++) {
                BufferedImage image = new BufferedImage(24, 40, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 40; y++) {
                    for (int x = 0; x < 24; x++) {
                        image.setRGB(x, y, random.nextInt(4) == 0 ? colors[c].getRGB()
                                : new Color(random.nextInt(80), random.nextInt(80), random.nextInt(80)).getRGB());
                    }
                }
                ImageIO.write(image, "png", folder.resolve("img" + i + ".png").toFile());
            }
        }
        return root;
    }
}
