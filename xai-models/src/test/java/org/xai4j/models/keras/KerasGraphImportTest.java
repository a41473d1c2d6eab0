package org.xai4j.models.keras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xai4j.models.keras.KerasFixtures.maxAbs;
import static org.xai4j.models.keras.KerasFixtures.npy;
import static org.xai4j.models.keras.KerasFixtures.path;
import static org.xai4j.testing.NdAssertions.assertAllClose;
import static org.xai4j.testing.NdAssertions.relativeL2;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Objective;
import org.xai4j.models.dl4j.Dl4jNetworkConverter;
import org.xai4j.testing.FiniteDifferences;

/**
 * Keras Functional graph networks ({@code mini_resnet_functional.h5}, ResNet50-style with projection and identity
 * blocks; {@code mini_mobilenet_functional.h5}, MobileNetV2-style with ReLU6, depthwise convolutions and an inverted
 * residual) imported with DL4J, checked against the independent numpy forward pass of
 * {@code src/test/python/make_keras_graph_fixtures.py}. This validates the fixtures (and DL4J's import of these layer
 * types) independently of the xai4j engine.
 *
 * <p>Facts pinned here (DL4J 1.0.0-M2.1, {@code importKerasModelAndWeights(path, false)}):
 * <ul>
 *   <li>Vertex names are the Keras layer names and each vertex's inputs are its Keras inbound layers, in order
 *       (an Add lists [shortcut, main path]). DL4J's topological order is not the Keras layer order.</li>
 *   <li>Add becomes an {@code ElementWiseVertex(Add)}; no preprocessor vertices are inserted.</li>
 *   <li>Conv2D becomes a ConvolutionLayer ('valid' = Truncate, 'same' = Same), DepthwiseConv2D a
 *       DepthwiseConvolution2D whose W is the Keras (kh, kw, cin, multiplier) kernel unchanged, ZeroPadding2D a
 *       ZeroPaddingLayer with padding [top, bottom, left, right], MaxPooling2D a SubsamplingLayer,
 *       GlobalAveragePooling2D a GlobalPoolingLayer(AVG), BatchNormalization a BatchNormalization (params gamma,
 *       beta, mean, var = the Keras moving statistics), ReLU(max_value=6) an ActivationLayer with
 *       {@code ActivationReLU(max=6)} and Activation('relu') one with a plain {@code ActivationReLU}. Every
 *       convolution, pooling and normalization layer is NHWC.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KerasGraphImportTest {

    /** The two graph fixtures, with the feature maps stored next to them and the layer that feeds the classifier. */
    enum Fixture {
        RESNET("mini_resnet", "avg_pool", List.of("conv3_block1_out")),
        MOBILENET("mini_mobilenet", "global_average_pooling2d", List.of("out_relu", "block_2_add"));

        final String prefix;
        final String pooled;
        final List<String> featureMaps;

        Fixture(String prefix, String pooled, List<String> featureMaps) {
            this.prefix = prefix;
            this.pooled = pooled;
            this.featureMaps = featureMaps;
        }

        String file() {
            return prefix + "_functional.h5";
        }

        INDArray input() {
            return npy(prefix + "_input.npy");
        }
    }

    private final Map<Fixture, ComputationGraph> graphs = new EnumMap<>(Fixture.class);

    private ComputationGraph graph(Fixture fixture) {
        return graphs.computeIfAbsent(fixture, f -> {
            try {
                return Hdf5Access.run(() -> KerasModelImport.importKerasModelAndWeights(path(f.file()), false));
            } catch (Exception e) {
                throw new AssertionError("DL4J import of " + f.file() + " failed", e);
            }
        });
    }

    @AfterAll
    void closeGraphs() {
        graphs.values().forEach(ComputationGraph::close);
    }

    /** Both sides are float32 from the same stored weights; the tolerance covers float32 accumulation only. */
    private static void assertMatchesReference(INDArray actual, INDArray expected) {
        assertAllClose(actual, expected, 1e-4, 1e-5 * maxAbs(expected));
    }

    @ParameterizedTest
    @EnumSource(Fixture.class)
    void outputMatchesNumpyReference(Fixture fixture) {
        INDArray[] out = graph(fixture).output(fixture.input());
        assertThat(out).hasSize(1);
        assertMatchesReference(out[0], npy(fixture.prefix + "_softmax.npy"));
    }

    @ParameterizedTest
    @EnumSource(Fixture.class)
    void featureMapsAndLogitsMatchNumpyReference(Fixture fixture) {
        ComputationGraph g = graph(fixture);
        Map<String, INDArray> acts = g.feedForward(fixture.input(), false);
        for (String name : fixture.featureMaps) {
            assertMatchesReference(acts.get(name), npy(fixture.prefix + "_" + name + ".npy"));
        }
        // DL4J keeps the softmax inside the 'predictions' DenseLayer: apply its W and b to the pooled features.
        INDArray logits = acts.get(fixture.pooled).mmul(g.getLayer("predictions").getParam("W"))
                .addRowVector(g.getLayer("predictions").getParam("b"));
        assertMatchesReference(logits, npy(fixture.prefix + "_logits.npy"));
    }

    @ParameterizedTest
    @EnumSource(Fixture.class)
    void verticesAndEdgesAreTheKerasLayersAndInboundNodes(Fixture fixture) throws Exception {
        Map<String, List<String>> keras = kerasInbound(fixture.file());
        ComputationGraphConfiguration conf = graph(fixture).getConfiguration();
        String input = keras.keySet().iterator().next();
        assertThat(conf.getNetworkInputs()).containsExactly(input);
        assertThat(conf.getNetworkOutputs()).containsExactly("predictions");
        assertThat(conf.getTopologicalOrderStr()).containsExactlyInAnyOrderElementsOf(keras.keySet());

        Set<String> seen = new HashSet<>();
        for (String name : conf.getTopologicalOrderStr()) {
            List<String> inputs = name.equals(input) ? List.of() : conf.getVertexInputs().get(name);
            assertThat(inputs).as("inputs of %s", name).containsExactlyElementsOf(keras.get(name));
            assertThat(seen).as("inputs of %s come before it", name).containsAll(inputs);
            seen.add(name);
        }
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            assertThat(e.getValue()).as("vertex %s", e.getKey())
                    .isInstanceOfAny(LayerVertex.class, ElementWiseVertex.class);
            if (e.getValue() instanceof LayerVertex v) {
                assertThat(v.getPreProcessor()).as("preprocessor of %s", e.getKey()).isNull();
            }
        }
    }

    @Test
    void resnetLayersArriveAsPinned() throws Exception {
        ComputationGraph g = graph(Fixture.RESNET);
        ZeroPaddingLayer conv1Pad = layer(g, "conv1_pad", ZeroPaddingLayer.class);
        assertThat(conv1Pad.getPadding()).containsExactly(3, 3, 3, 3);
        assertThat(conv1Pad.getDataFormat()).isEqualTo(CNN2DFormat.NHWC);

        ConvolutionLayer conv1 = layer(g, "conv1_conv", ConvolutionLayer.class);
        assertThat(conv1.getConvolutionMode()).isEqualTo(ConvolutionMode.Truncate);
        assertThat(conv1.getKernelSize()).containsExactly(7, 7);
        assertThat(conv1.getStride()).containsExactly(2, 2);
        assertThat(conv1.hasBias()).isTrue();
        assertThat(conv1.getCnn2dDataFormat()).isEqualTo(CNN2DFormat.NHWC);
        assertThat(layer(g, "conv2_block1_2_conv", ConvolutionLayer.class).getConvolutionMode())
                .isEqualTo(ConvolutionMode.Same);
        assertThat(layer(g, "conv2_block2_2_conv", ConvolutionLayer.class).hasBias()).isFalse();
        assertThat(g.getLayer("conv2_block2_2_conv").paramTable()).containsOnlyKeys("W");
        assertThat(layer(g, "conv3_block1_0_conv", ConvolutionLayer.class).getStride()).containsExactly(2, 2);

        BatchNormalization bn = layer(g, "conv1_bn", BatchNormalization.class);
        assertThat(bn.getEps()).isEqualTo(1.001e-5);
        assertThat(bn.isLockGammaBeta()).isFalse();
        assertThat(bn.isUseLogStd()).isFalse();
        assertThat(bn.getCnn2DFormat()).isEqualTo(CNN2DFormat.NHWC);
        String group = "model_weights/conv1_bn/conv1_bn";
        Map<String, String> keras = Map.of("gamma", "gamma:0", "beta", "beta:0", "mean", "moving_mean:0",
                "var", "moving_variance:0");
        Map<String, INDArray> storedParams = Hdf5Access.run(() -> {
            try (Hdf5Archive h5 = new Hdf5Archive(path(Fixture.RESNET.file()))) {
                Map<String, INDArray> read = new LinkedHashMap<>();
                for (Map.Entry<String, String> e : keras.entrySet()) {
                    read.put(e.getKey(), h5.readDataSet(e.getValue(), group));
                }
                return read;
            }
        });
        for (Map.Entry<String, INDArray> e : storedParams.entrySet()) {
            assertThat(KerasFixtures.maxAbsDiff(g.getLayer("conv1_bn").getParam(e.getKey()).reshape(-1),
                    e.getValue().reshape(-1))).as("BN param %s", e.getKey()).isZero();
        }

        ActivationLayer relu = layer(g, "conv1_relu", ActivationLayer.class);
        assertThat(relu.getActivationFn()).isInstanceOf(ActivationReLU.class);
        assertThat(((ActivationReLU) relu.getActivationFn()).getMax()).isNull();

        SubsamplingLayer pool = layer(g, "pool1_pool", SubsamplingLayer.class);
        assertThat(pool.getPoolingType()).isEqualTo(PoolingType.MAX);
        assertThat(pool.getKernelSize()).containsExactly(3, 3);
        assertThat(pool.getStride()).containsExactly(2, 2);
        assertThat(pool.getConvolutionMode()).isEqualTo(ConvolutionMode.Truncate);

        GraphVertex add = g.getConfiguration().getVertices().get("conv2_block1_add");
        assertThat(add).isInstanceOf(ElementWiseVertex.class);
        assertThat(((ElementWiseVertex) add).getOp()).isEqualTo(ElementWiseVertex.Op.Add);

        GlobalPoolingLayer gap = layer(g, "avg_pool", GlobalPoolingLayer.class);
        assertThat(gap.getPoolingType()).isEqualTo(PoolingType.AVG);
        DenseLayer predictions = layer(g, "predictions", DenseLayer.class);
        assertThat(predictions.getActivationFn()).isInstanceOf(ActivationSoftmax.class);
    }

    @Test
    void mobilenetLayersArriveAsPinned() throws Exception {
        ComputationGraph g = graph(Fixture.MOBILENET);
        ConvolutionLayer stem = layer(g, "Conv1", ConvolutionLayer.class);
        assertThat(stem.getConvolutionMode()).isEqualTo(ConvolutionMode.Same);
        assertThat(stem.getStride()).containsExactly(2, 2);
        assertThat(stem.hasBias()).isFalse();

        ActivationLayer relu6 = layer(g, "Conv1_relu", ActivationLayer.class);
        assertThat(relu6.getActivationFn()).isInstanceOf(ActivationReLU.class);
        ActivationReLU fn = (ActivationReLU) relu6.getActivationFn();
        assertThat(fn.getMax()).isEqualTo(6.0);
        assertThat(fn.getThreshold()).isEqualTo(0.0);
        assertThat(fn.getNegativeSlope()).isEqualTo(0.0);

        assertThat(layer(g, "block_1_pad", ZeroPaddingLayer.class).getPadding()).containsExactly(0, 1, 0, 1);
        DepthwiseConvolution2D strided = layer(g, "block_1_depthwise", DepthwiseConvolution2D.class);
        assertThat(strided.getConvolutionMode()).isEqualTo(ConvolutionMode.Truncate);
        assertThat(strided.getStride()).containsExactly(2, 2);
        assertThat(layer(g, "expanded_conv_depthwise", DepthwiseConvolution2D.class).getConvolutionMode())
                .isEqualTo(ConvolutionMode.Same);

        DepthwiseConvolution2D multiplied = layer(g, "block_2_depthwise", DepthwiseConvolution2D.class);
        assertThat(multiplied.getDepthMultiplier()).isEqualTo(2);
        assertThat(multiplied.getNIn()).isEqualTo(32);
        assertThat(multiplied.getNOut()).isEqualTo(64);
        assertThat(multiplied.hasBias()).isTrue();
        assertThat(multiplied.getCnn2dDataFormat()).isEqualTo(CNN2DFormat.NHWC);
        INDArray kernel = Hdf5Access.run(() -> {
            try (Hdf5Archive h5 = new Hdf5Archive(path(Fixture.MOBILENET.file()))) {
                return h5.readDataSet("depthwise_kernel:0", "model_weights/block_2_depthwise/block_2_depthwise");
            }
        });
        assertThat(kernel.shape()).containsExactly(3, 3, 32, 2);
        INDArray w = g.getLayer("block_2_depthwise").getParam("W");
        assertThat(w.shape()).containsExactly(3, 3, 32, 2);
        assertThat(KerasFixtures.maxAbsDiff(w, kernel)).isZero();
        assertThat(g.getLayer("block_2_depthwise").getParam("b").length()).isEqualTo(64);

        assertThat(layer(g, "block_2_depthwise_BN", BatchNormalization.class).getEps()).isEqualTo(1e-3);
        assertThat(g.getConfiguration().getVertices().get("block_2_add")).isInstanceOf(ElementWiseVertex.class);
        assertThat(layer(g, "Conv_1", ConvolutionLayer.class).getConvolutionMode())
                .isEqualTo(ConvolutionMode.Truncate);
    }

    /** xai4j's own loader (with its pre-import checks) accepts the graph files and gives the same outputs. */
    @ParameterizedTest
    @EnumSource(Fixture.class)
    void kerasH5SourceLoadsGraphFiles(Fixture fixture) throws Exception {
        Model model = KerasH5Source.builder().setFile(Path.of(path(fixture.file()))).build().load();
        assertThat(model).isInstanceOf(ComputationGraph.class);
        try {
            assertMatchesReference(((ComputationGraph) model).outputSingle(fixture.input()),
                    npy(fixture.prefix + "_softmax.npy"));
        } finally {
            model.close();
        }
    }

    /**
     * The xai4j engine on the converted graph (NCHW input) gives the numpy reference's logits, probabilities and feature
     * maps, and in double precision an input gradient that agrees with central finite differences.
     */
    @ParameterizedTest
    @EnumSource(Fixture.class)
    void convertedModelMatchesNumpyReference(Fixture fixture) {
        INDArray nhwc = fixture.input();
        long[] shape = {nhwc.size(3), nhwc.size(1), nhwc.size(2)};
        NetworkSpec spec = Dl4jNetworkConverter.toSpec(graph(fixture), fixture.prefix, shape);
        INDArray nchw = nhwc.permute(0, 3, 1, 2).dup();
        try (Nd4jImageModel model = Nd4jImageModel.of(spec)) {
            assertMatchesReference(model.logits(nchw), npy(fixture.prefix + "_logits.npy"));
            assertMatchesReference(model.probabilities(nchw), npy(fixture.prefix + "_softmax.npy"));
            for (String name : fixture.featureMaps) {
                assertMatchesReference(model.activations(nchw, name).permute(0, 2, 3, 1),
                        npy(fixture.prefix + "_" + name + ".npy"));
            }
            assertThat(model.layerInfo(fixture.featureMaps.get(0)).isSpatial()).isTrue();
        }
        try (Nd4jImageModel model = Nd4jImageModel.of(spec, DataType.DOUBLE)) {
            INDArray x = nchw.castTo(DataType.DOUBLE).get(NDArrayIndex.interval(0, 1));
            Objective objective = Objective.classLogit(1);
            // Relative L2 over the whole gradient: a ReLU6 input within the step of its kink can spoil single elements.
            assertThat(relativeL2(model.gradient(x, objective).inputGradient(),
                    FiniteDifferences.inputGradient(model, x, objective))).isLessThan(1e-5);
        }
    }

    private static <T extends Layer> T layer(ComputationGraph g, String name, Class<T> type) {
        Layer layer = g.getLayer(name).conf().getLayer();
        assertThat(layer).as("layer %s", name).isInstanceOf(type);
        return type.cast(layer);
    }

    /** Keras layer name -> inbound layer names, in model_config order (the InputLayer first). */
    private static Map<String, List<String>> kerasInbound(String file) throws Exception {
        String json = Hdf5Access.run(() -> {
            try (Hdf5Archive h5 = new Hdf5Archive(path(file))) {
                return h5.readAttributeAsJson("model_config");
            }
        });
        JsonNode config = new ObjectMapper().readTree(json);
        assertThat(config.path("class_name").asText()).isEqualTo("Functional");
        Map<String, List<String>> inbound = new LinkedHashMap<>();
        for (JsonNode layer : config.path("config").path("layers")) {
            List<String> names = new ArrayList<>();
            for (JsonNode node : layer.path("inbound_nodes")) {
                for (JsonNode edge : node) {
                    names.add(edge.get(0).asText());
                }
            }
            inbound.put(layer.path("name").asText(), names);
        }
        return inbound;
    }
}
