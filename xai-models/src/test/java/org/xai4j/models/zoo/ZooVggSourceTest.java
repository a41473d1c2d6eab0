package org.xai4j.models.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Adler32;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.PretrainedType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.Preprocessing;
import org.xai4j.models.TestData;
import org.xai4j.models.VGG16;

/** The zoo cache: fail-fast when absent, checksum verification, and loading a zoo-layout graph placed in the cache. */
class ZooVggSourceTest {

    @AfterEach
    void resetBaseDirectory() {
        DL4JResources.resetBaseDirectoryLocation();
    }

    @Test
    void missingCacheFileFailsAtOnceNamingFileAndDirectory(@TempDir Path base) {
        DL4JResources.setBaseDirectory(base.toFile());
        for (PretrainedType type : new PretrainedType[] {PretrainedType.IMAGENET, PretrainedType.VGGFACE}) {
            ZooVggSource source = ZooVggSource.builder().setType(type).build();
            String fileName = type == PretrainedType.IMAGENET ? "vgg16_dl4j_inference.zip"
                    : "vgg16_dl4j_vggface_inference.v1.zip";
            File expected = base.resolve("models").resolve("vgg16").resolve(fileName).toFile();
            assertThat(source.cacheFile()).isEqualTo(expected);
            long start = System.nanoTime();
            assertThatThrownBy(source::load)
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessageContaining("place the file " + fileName)
                    .hasMessageContaining(expected.getAbsolutePath())
                    .hasMessageContaining(source.url());
            assertThat((System.nanoTime() - start) / 1e9).isLessThan(5.0);
        }
        assertThat(ZooVggSource.builder().setType(PretrainedType.IMAGENET).build().expectedChecksum()).isEqualTo(3501732770L);
        assertThatThrownBy(() -> ZooVggSource.builder().setType(PretrainedType.CIFAR10).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zooLayoutGraphInTheCacheLoadsWithKerasNamesAndMatchesDl4j(@TempDir Path base) throws Exception {
        DL4JResources.setBaseDirectory(base.toFile());
        ZooVggSource probe = ZooVggSource.builder().setType(PretrainedType.IMAGENET).build();
        ComputationGraph graph = TestData.tinyZooStyleGraph(11);
        File cache = probe.cacheFile();
        Files.createDirectories(cache.getParentFile().toPath());
        ModelSerializer.writeModel(graph, cache, false);

        // The zoo's checksum is that of the real file: reported, and the file is left in place (the zoo deletes it).
        assertThatThrownBy(probe::load).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("checksum").hasMessageContaining("3501732770");
        assertThat(cache).exists();

        Adler32 adler = new Adler32();
        adler.update(Files.readAllBytes(cache.toPath()));
        ImageClassifier vgg = VGG16.builder().setSource(ZooVggSource.builder().setType(PretrainedType.IMAGENET).optChecksum(adler.getValue()).build())
                .optArchitecture(TestData.TINY).build().load();
        assertThat(vgg.model().layerNames()).contains("block1_conv1", "block5_conv3", "block5_pool", "flatten",
                "fc1", "fc2", "predictions").doesNotContain("0", "16");

        Nd4j.getRandom().setSeed(5);
        INDArray pixels = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        INDArray expected = graph.outputSingle(false, Preprocessing.CAFFE_IMAGENET.apply(pixels));
        INDArray actual = vgg.model().probabilities(pixels);
        assertThat(TestData.maxAbsDiff(actual, expected)).isLessThan(1e-5);
        INDArray conv = graph.feedForward(Preprocessing.CAFFE_IMAGENET.apply(pixels), false).get("16");
        assertThat(TestData.maxAbsDiff(vgg.model().activations(pixels, "block5_conv3"), conv))
                .isLessThan(1e-4 * conv.amaxNumber().doubleValue());
    }
}
