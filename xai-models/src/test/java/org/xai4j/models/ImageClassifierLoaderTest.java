package org.xai4j.models;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.common.resources.DL4JResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.xai4j.models.dl4j.Dl4jTestNetworks;
import org.xai4j.viz.RgbImage;
import org.xai4j.viz.io.PngWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.testing.NdAssertions.assertAllClose;

/** Loading classifiers from DL4J zips and the zoo; the Keras files are in keras/, the toy models in xai-toy. */
class ImageClassifierLoaderTest {

    @TempDir
    Path dir;

    private static INDArray pixels(long seed, int size) {
        return Nd4j.getRandomFactory().getNewRandomInstance(seed).nextDouble(new long[] {2, 3, size, size})
                .castTo(DataType.FLOAT);
    }

    private Path zip(MultiLayerNetwork network, String name) throws IOException {
        Path file = dir.resolve(name);
        ModelSerializer.writeModel(network, file.toFile(), false);
        return file;
    }

    /** Convolutions, global average pooling and a 7-way softmax: any input size fits. */
    private static MultiLayerNetwork sevenClasses() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("gap").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(7)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(10, 10, 3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void dl4jZipWithoutASizeUsesTheFirstSizeItsLayersAcceptAndMatchesDl4j() throws Exception {
        MultiLayerNetwork network = TestData.tinyMultiLayerNetwork(3); // 32x32, flatten before the dense layers
        Path file = zip(network, "tiny.zip");
        try (ImageClassifier classifier = ImageClassifierLoader.builder().setSource(file).build().load()) {
            assertThat(classifier.name()).isEqualTo("tiny.zip");
            assertThat(classifier.inputShape()).containsExactly(3, 32, 32);
            assertThat(classifier.preprocessing()).isEqualTo(Preprocessing.UNIT);
            assertThat(classifier.labels()).containsExactly("class_0", "class_1", "class_2");
            INDArray x = pixels(1, 32);
            assertAllClose(classifier.model().probabilities(x), network.output(x), 1e-4, 1e-6);
            assertThat(classifier.predict(x)).containsExactly(org.xai4j.Predictions.argMax(network.output(x)));
            assertThat(classifier.toString()).contains("tiny.zip", "[3, 32, 32]", "classes=3");
        }
    }

    @Test
    void preprocessingIsEmbeddedAndLabelsComeFromTheFile() throws Exception {
        MultiLayerNetwork network = TestData.tinyMultiLayerNetwork(4);
        Path file = zip(network, "caffe.zip");
        Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n bird \n\n", StandardCharsets.UTF_8);
        try (ImageClassifier classifier = ImageClassifierLoader.builder().setSource(file.toString())
                .optPreprocessing(Preprocessing.CAFFE_IMAGENET).optLabels(labels).build().load()) {
            INDArray x = pixels(2, 32);
            assertAllClose(classifier.model().probabilities(x), network.output(Preprocessing.CAFFE_IMAGENET.apply(x)),
                    1e-4, 1e-6);
            assertThat(classifier.labels()).containsExactly("cat", "dog", "bird");
            assertThat(classifier.label(2)).isEqualTo("bird");
            assertThatThrownBy(() -> classifier.label(3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("3");
        }
        Path two = Files.writeString(dir.resolve("two.txt"), "cat\ndog\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ImageClassifierLoader.builder().setSource(file).optLabels(two).build().load())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining(two.toAbsolutePath().toString())
                .hasMessageContaining("has 2 labels").hasMessageContaining("3 classes");
    }

    @Test
    void labelsAreNeverGuessedFromTheClassCount() throws Exception {
        Path file = zip(sevenClasses(), "seven.zip");
        try (ImageClassifier classifier = ImageClassifierLoader.builder().setSource(file).optInputShape(3, 10, 10)
                .build().load()) {
            assertThat(classifier.labels()).hasSize(7).doesNotContainAnyElementsOf(VGGEmotion.EMOTIONS)
                    .startsWith("class_0").endsWith("class_6");
            assertThat(classifier.inputShape()).containsExactly(3, 10, 10);
        }
        // global pooling accepts any size: without a given size the first candidate is used
        try (ImageClassifier classifier = ImageClassifierLoader.builder().setSource(file).build().load()) {
            assertThat(classifier.inputShape()).containsExactly(3, 224, 224);
        }
    }

    @Test
    void aNetworkNoCandidateSizeFitsNeedsItsShapeAndAWrongShapeIsNamed() throws Exception {
        MultiLayerNetwork network = Dl4jTestNetworks.vggStyle(6); // 16x16 before a dense layer
        Path file = zip(network, "sixteen.zip");
        assertThatThrownBy(() -> ImageClassifierLoader.builder().setSource(file).build().load())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("optInputShape");
        assertThatThrownBy(() -> ImageClassifierLoader.builder().setSource(file).optInputShape(3, 20, 20).build().load())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("[3, 20, 20]");
        try (ImageClassifier classifier = ImageClassifierLoader.builder().setSource(file).optInputShape(3, 16, 16)
                .build().load()) {
            INDArray x = pixels(3, 16);
            assertAllClose(classifier.model().probabilities(x), network.output(x), 1e-4, 1e-6);
        }
    }

    @Test
    void zooModelsAreReadFromTheLocalCacheOnly(@TempDir Path base) {
        DL4JResources.setBaseDirectory(base.toFile());
        try {
            assertThatThrownBy(() -> ImageClassifierLoader.builder().setSource("zoo:vgg16").build().load())
                    .isInstanceOf(ModelLoadException.class).hasMessageContaining("vgg16_dl4j_inference.zip")
                    .hasMessageContaining(base.toAbsolutePath().toString());
        } finally {
            DL4JResources.resetBaseDirectoryLocation();
        }
    }

    @Test
    void settingsAreCheckedWhenBuilt() {
        assertThatThrownBy(() -> ImageClassifierLoader.builder().build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("setSource");
        assertThatThrownBy(() -> ImageClassifierLoader.builder().setSource("zoo:cat").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zoo:cat")
                .hasMessageContaining("zoo:vggface").hasMessageContaining("zoo:vgg16");
        assertThatThrownBy(() -> ImageClassifierLoader.builder().setSource("model.onnx").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model.onnx")
                .hasMessageContaining(".zip");
        assertThatThrownBy(() -> ImageClassifierLoader.builder().setSource("model.json").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("optWeights");
        assertThatThrownBy(() -> ImageClassifierLoader.builder().setSource("m.zip").optInputShape(3, 0, 4).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3, 0, 4]");
        assertThatThrownBy(() -> ImageClassifierLoader.builder().setSource((Path) null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void aMissingOrCorruptFileIsNamed() throws IOException {
        Path missing = dir.resolve("missing.zip");
        assertThatThrownBy(() -> ImageClassifierLoader.builder().setSource(missing).build().load())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining(missing.toAbsolutePath().toString());
        Path text = Files.writeString(dir.resolve("notes.zip"), "not a model");
        assertThatThrownBy(() -> ImageClassifierLoader.builder().setSource(text).build().load())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining(text.toAbsolutePath().toString());
    }
}
