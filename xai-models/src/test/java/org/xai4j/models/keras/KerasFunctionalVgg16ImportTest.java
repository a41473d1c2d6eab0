package org.xai4j.models.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xai4j.models.keras.KerasFixtures.assertMatches;
import static org.xai4j.models.keras.KerasFixtures.npy;
import static org.xai4j.models.keras.KerasFixtures.path;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * keras.applications-style Functional VGG16 ({@code mini_vgg16_functional.h5}) imported with DL4J
 * directly, checked against the independent numpy forward pass of make_keras_fixtures.py.
 *
 * <p>Facts pinned here (DL4J 1.0.0-M2.1):
 * <ul>
 *   <li>{@code importKerasModelAndWeights} gives a ComputationGraph whose vertex names are exactly the
 *       Keras layer names: input vertex {@code input_1} (an InputVertex), {@code block1_conv1} ...
 *       {@code predictions}; topological order = Keras layer order. Network output: {@code predictions}.</li>
 *   <li>{@code flatten} becomes a {@code PreprocessorVertex} with a
 *       {@code CnnToFeedForwardPreProcessor(format=NHWC)} (channels_last flatten order, matches Keras);
 *       no other vertices are added (no loss vertex without training_config).</li>
 *   <li>Conv2D -> ConvolutionLayer (convolutionMode Same), MaxPooling2D -> SubsamplingLayer
 *       (Truncate, NHWC), Dense -> DenseLayer (also the softmax {@code predictions}; not an OutputLayer).
 *       Params "W"/"b": conv W is [cout, cin, kh, kw] (Keras kernel (kh,kw,cin,cout) permuted),
 *       dense W is [in, out] as in Keras.</li>
 *   <li>Input is NHWC [N, H, W, C]; an NCHW array is rejected with DL4JInvalidInputException.</li>
 *   <li>{@code feedForward(x, false)} returns a map keyed by vertex name (= Keras layer name) holding
 *       each layer's post-activation output, NHWC for conv/pool layers.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KerasFunctionalVgg16ImportTest {

    private static final List<String> KERAS_LAYERS = List.of("input_1",
            "block1_conv1", "block1_conv2", "block1_pool",
            "block2_conv1", "block2_conv2", "block2_pool",
            "block3_conv1", "block3_conv2", "block3_conv3", "block3_pool",
            "block4_conv1", "block4_conv2", "block4_conv3", "block4_pool",
            "block5_conv1", "block5_conv2", "block5_conv3", "block5_pool",
            "flatten", "fc1", "fc2", "predictions");

    private ComputationGraph graph;
    private INDArray input;

    @BeforeAll
    void importModel() throws Exception {
        graph = Hdf5Access.run(() -> KerasModelImport.importKerasModelAndWeights(path("mini_vgg16_functional.h5"),
                false));
        input = npy("mini_vgg16_input.npy");
    }

    @Test
    void vertexNamesAreTheKerasLayerNames() {
        assertThat(graph.getConfiguration().getNetworkInputs()).containsExactly("input_1");
        assertThat(graph.getConfiguration().getNetworkOutputs()).containsExactly("predictions");
        assertThat(graph.getConfiguration().getTopologicalOrderStr()).containsExactlyElementsOf(KERAS_LAYERS);

        List<String> names = new ArrayList<>();
        for (GraphVertex v : graph.getVertices()) {
            names.add(v.getVertexName());
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(KERAS_LAYERS);

        assertThat(graph.getVertex("input_1").isInputVertex()).isTrue();
        assertThat(graph.getLayer("block5_conv3").conf().getLayer()).isInstanceOf(ConvolutionLayer.class);
        assertThat(graph.getLayer("block5_pool").conf().getLayer()).isInstanceOf(SubsamplingLayer.class);
        assertThat(graph.getLayer("predictions").conf().getLayer()).isInstanceOf(DenseLayer.class);
        assertThat(graph.getVertex("flatten").hasLayer()).isFalse();
        assertThat(graph.getConfiguration().getVertices().get("flatten")).isInstanceOf(PreprocessorVertex.class);
        PreprocessorVertex flatten = (PreprocessorVertex) graph.getConfiguration().getVertices().get("flatten");
        assertThat(flatten.getPreProcessor()).isInstanceOf(CnnToFeedForwardPreProcessor.class);

        assertThat(graph.getLayer("block1_conv1").getParam("W").shape()).containsExactly(4, 3, 3, 3);
        assertThat(graph.getLayer("fc1").getParam("W").shape()).containsExactly(16, 32);
    }

    @Test
    void paramsAreTheKerasDatasetsPermuted() throws Exception {
        INDArray[] read = Hdf5Access.run(() -> {
            try (Hdf5Archive h5 = new Hdf5Archive(path("mini_vgg16_functional.h5"))) {
                return new INDArray[] {h5.readDataSet("kernel:0", "model_weights/block3_conv2/block3_conv2"),
                        h5.readDataSet("kernel:0", "model_weights/fc1/fc1")};
            }
        });
        INDArray kernel = read[0];
        INDArray denseKernel = read[1];
        assertThat(kernel.shape()).containsExactly(3, 3, 8, 8); // (kh, kw, cin, cout)
        INDArray w = graph.getLayer("block3_conv2").getParam("W"); // [cout, cin, kh, kw]
        assertThat(KerasFixtures.maxAbsDiff(w, kernel.permute(3, 2, 0, 1))).isZero();
        assertThat(KerasFixtures.maxAbsDiff(graph.getLayer("fc1").getParam("W"), denseKernel)).isZero();
    }

    @Test
    void softmaxOutputMatchesNumpyReference() {
        INDArray out = graph.outputSingle(input);
        assertMatches("vgg16 functional softmax", out, npy("mini_vgg16_softmax.npy"));
    }

    @Test
    void intermediateActivationsAndLogitsMatchNumpyReference() {
        Map<String, INDArray> acts = graph.feedForward(input, false);
        assertThat(acts.keySet()).containsAll(KERAS_LAYERS);
        assertMatches("vgg16 functional block5_conv3", acts.get("block5_conv3"),
                npy("mini_vgg16_block5_conv3.npy"));

        // Pre-softmax values: DL4J keeps the softmax inside the 'predictions' DenseLayer, so apply its
        // W and b to the fc2 activations.
        INDArray w = graph.getLayer("predictions").getParam("W");
        INDArray b = graph.getLayer("predictions").getParam("b");
        INDArray logits = acts.get("fc2").mmul(w).addRowVector(b);
        assertMatches("vgg16 functional logits", logits, npy("mini_vgg16_logits.npy"));
    }

    @Test
    void nchwInputIsRejected() {
        INDArray nchw = input.permute(0, 3, 1, 2).dup('c');
        assertThatThrownBy(() -> graph.outputSingle(nchw)).isInstanceOf(DL4JInvalidInputException.class);
    }

    /**
     * keras.applications / keras-vggface download weights-only files ({@code save_weights} layout, no
     * model_config). With the architecture as {@code model.to_json()} they import through the
     * two-file overload and give identical outputs.
     */
    @Test
    void weightsOnlyFilePlusJsonConfigImports() throws Exception {
        ComputationGraph g = Hdf5Access.run(() -> KerasModelImport.importKerasModelAndWeights(
                path("mini_vgg16_functional.json"), path("mini_vgg16_weights_only.h5"), false));
        assertThat(g.getConfiguration().getTopologicalOrderStr()).containsExactlyElementsOf(KERAS_LAYERS);
        assertMatches("vgg16 json + weights-only softmax", g.outputSingle(input), npy("mini_vgg16_softmax.npy"));
    }
}
