package org.xai4j.models.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.Preprocessing;
import org.xai4j.models.TestData;
import org.xai4j.models.VGGFace;

/** ModelSerializer zips of both network types, loaded through the adapters, and bad zips. */
class ModelZipSourceTest {

    private static INDArray pixels() {
        Nd4j.getRandom().setSeed(9);
        return Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
    }

    @Test
    void multiLayerNetworkZipLoadsAndMatchesDl4j(@TempDir Path dir) throws Exception {
        MultiLayerNetwork network = TestData.tinyMultiLayerNetwork(3);
        Path zip = dir.resolve("tiny-mln.zip");
        ModelSerializer.writeModel(network, zip.toFile(), false);
        Model restored = ModelZipSource.builder().setFile(zip).build().load();
        assertThat(restored).isInstanceOf(MultiLayerNetwork.class);

        ImageClassifier vgg = VGGFace.builder().setSource(ModelZipSource.builder().setFile(zip).build()).optArchitecture(TestData.TINY)
                .build().load();
        assertThat(vgg.model().layerNames()).contains("block1_conv1", "block5_conv3", "predictions")
                .doesNotContain("c00", "out");
        INDArray x = pixels();
        INDArray expected = network.output(Preprocessing.VGGFACE.apply(x));
        assertThat(TestData.maxAbsDiff(vgg.model().probabilities(x), expected)).isLessThan(1e-5);
        assertThat(vgg.labels()).containsExactly("class_0", "class_1", "class_2");
    }

    @Test
    void computationGraphZipLoadsAndMatchesDl4j(@TempDir Path dir) throws Exception {
        ComputationGraph graph = TestData.tinyZooStyleGraph(4);
        Path zip = dir.resolve("tiny-cg.zip");
        ModelSerializer.writeModel(graph, zip.toFile(), true);
        assertThat(ModelZipSource.builder().setFile(zip).build().load()).isInstanceOf(ComputationGraph.class);
        ImageClassifier vgg = VGGFace.builder().setSource(ModelZipSource.builder().setFile(zip).build()).optArchitecture(TestData.TINY)
                .optPreprocessing(Preprocessing.UNIT).build().load();
        INDArray x = pixels();
        assertThat(TestData.maxAbsDiff(vgg.model().probabilities(x), graph.outputSingle(false, x))).isLessThan(1e-5);
    }

    @Test
    void badZipsAreReportedWithTheirPath(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.zip");
        assertThatThrownBy(() -> ModelZipSource.builder().setFile(missing).build().load()).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
        Path text = dir.resolve("text.zip");
        Files.writeString(text, "not a zip");
        assertThatThrownBy(() -> ModelZipSource.builder().setFile(text).build().load()).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(text.toString()).hasMessageContaining("is not a zip file");
        Path other = dir.resolve("other.zip");
        try (OutputStream out = Files.newOutputStream(other); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("readme.txt"));
            z.write("hello".getBytes());
            z.closeEntry();
        }
        assertThatThrownBy(() -> ModelZipSource.builder().setFile(other).build().load()).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(other.toString()).hasMessageContaining("no configuration.json entry");
        Path wrong = dir.resolve("wrong-classes.zip");
        ModelSerializer.writeModel(TestData.tinyMultiLayerNetwork(1), wrong.toFile(), false);
        assertThatThrownBy(() -> VGGFace.builder().setSource(ModelZipSource.builder().setFile(wrong).build())
                .optArchitecture(TestData.TINY.toBuilder().optNumClasses(2622).build()).build().load())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining(wrong.toString())
                .hasMessageContaining("has 3 output classes").hasMessageContaining("expects 2622");
    }
}
