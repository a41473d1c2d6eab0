package org.xai4j.models;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The model-provider registry: the one place where a source's scheme or extension picks its provider. */
class ModelProvidersTest {

    @Test
    void schemesPickNamedProvidersAndEverythingElseIsAFileByExtension() {
        assertThat(ModelProviders.forSource("zoo:vgg16")).isInstanceOf(ZooProvider.class);
        assertThat(ModelProviders.forSource("models/net.H5")).isInstanceOf(NetworkFileProvider.class);
        assertThat(ModelProviders.forSource("C:\\models\\net.zip")).isInstanceOf(NetworkFileProvider.class);
        assertThat(ModelProviders.forSource("hdfs:///models/net.keras")).isInstanceOf(NetworkFileProvider.class);
        assertThat(ModelProviders.schemeOf("toy:face")).isEqualTo("toy");
        assertThat(ModelProviders.schemeOf("C:\\m.h5")).isNull();
        assertThat(ModelProviders.schemeOf("s3://bucket/m.h5")).isNull();
        assertThat(ModelProviders.all()).hasAtLeastOneElementOfType(ZooProvider.class)
                .hasAtLeastOneElementOfType(NetworkFileProvider.class);
    }

    @Test
    void unknownSourcesListWhatIsKnown() {
        assertThatThrownBy(() -> ModelProviders.forSource("hub:resnet")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown model 'hub:resnet'").hasMessageContaining("zoo:vgg16")
                .hasMessageContaining(".h5");
        assertThatThrownBy(() -> ModelSettings.builder().setSource("net.tflite").build())
                .hasMessageContaining("unsupported model file net.tflite").hasMessageContaining(".zip");
        assertThatThrownBy(() -> ModelSettings.builder().setSource("zoo:cat").build())
                .hasMessageContaining("'zoo:cat'").hasMessageContaining("zoo:vggface");
        assertThatThrownBy(() -> ModelSettings.builder().setSource("zoo:vgg16").optWeights("w.h5").build())
                .hasMessageContaining("optWeights");
        assertThatThrownBy(() -> ModelSettings.builder().setSource("a.json").build())
                .hasMessageContaining("needs its weights");
        assertThatThrownBy(() -> ModelSettings.builder().setSource(" ").build()).hasMessageContaining("blank");
    }

    @Test
    void settingsAreOneSerializableValue() throws Exception {
        ModelSettings settings = ModelSettings.builder().setSource("hdfs:///m/net.h5").optLabels("labels.txt")
                .optPreprocessing(Preprocessing.IMAGENET).optInputShape(3, 32, 32).build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(settings);
        }
        ModelSettings copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ModelSettings) in.readObject();
        }
        assertThat(copy).isEqualTo(settings).hasSameHashCodeAs(settings);
        // named conventions stay unique instances, so == comparisons keep working after shipping
        assertThat(copy.preprocessing()).isSameAs(Preprocessing.IMAGENET);
        assertThat(copy.isFile()).isTrue();
        assertThat(copy.withFiles(java.nio.file.Path.of("/tmp/net.h5"), null, null).source()).isEqualTo("/tmp/net.h5");
        assertThat(ModelSettings.builder().setSource("zoo:vgg16").build().isFile()).isFalse();
    }

    @Test
    void preprocessingNamesAreParsedInOnePlaceAndMeanStdIsTorchvisionsNormalize() {
        assertThat(Preprocessing.fromName("Caffe")).isSameAs(Preprocessing.CAFFE_IMAGENET);
        assertThat(Preprocessing.fromName("imagenet")).isSameAs(Preprocessing.IMAGENET);
        assertThat(Preprocessing.names()).containsExactly("none", "unit", "caffe", "vggface", "imagenet");
        assertThatThrownBy(() -> Preprocessing.fromName("torch")).hasMessageContaining("'torch'")
                .hasMessageContaining("imagenet");
        assertThatThrownBy(() -> Preprocessing.meanStd(new double[] {0, 0, 0}, new double[] {1, 0, 1}))
                .hasMessageContaining("positive");
        // (x - mean) / std per RGB channel, as torchvision.transforms.Normalize computes it
        INDArray pixels = Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 5);
        INDArray out = Preprocessing.IMAGENET.apply(pixels);
        double[] mean = {0.485, 0.456, 0.406};
        double[] std = {0.229, 0.224, 0.225};
        for (int c = 0; c < 3; c++) {
            double x = pixels.getDouble(1, c, 2, 3);
            assertThat(out.getDouble(1, c, 2, 3)).isCloseTo((x - mean[c]) / std[c], within(1e-12));
        }
        assertThat(Preprocessing.IMAGENET.swapsToBgr()).isFalse();
        assertThat(Preprocessing.meanStd(mean, std)).isNotEqualTo(Preprocessing.IMAGENET); // a name of its own
        assertThat(Preprocessing.NONE).isNotEqualTo(Preprocessing.UNIT);
    }
}
