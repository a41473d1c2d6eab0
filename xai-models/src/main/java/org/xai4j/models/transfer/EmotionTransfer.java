package org.xai4j.models.transfer;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.xai4j.models.dl4j.ThreadRandom;
import org.xai4j.models.Dl4jNetworks;
import org.xai4j.models.VGGEmotion;
import org.xai4j.models.VGGFace;
import org.xai4j.models.VggArchitecture;
import org.xai4j.models.VggLayout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Builds VGGEmotion from a VGGFace network with DL4J's {@link TransferLearning} API, as in the study this project
 * reproduces: only the last convolution is retrained, and batch normalization and dropout regularize the new head.
 *
 * <p>Exactly:
 * <ol>
 *   <li>the base network (a {@link ComputationGraph}, or a {@link MultiLayerNetwork} converted with
 *       {@code toComputationGraph()}, as the Keras importer or the zoo give it) is copied; it is checked against the
 *       base architecture (VGGFace by default), and the no-op dropout the Keras importer attaches to every layer is
 *       removed from the copy;</li>
 *   <li>every layer up to and including the second-to-last convolution ({@code conv5_2}/{@code block5_conv2}) is
 *       frozen ({@code setFeatureExtractor});</li>
 *   <li>the last convolution ({@code conv5_3}/{@code block5_conv3}) is re-initialized (Xavier, {@code nOutReplace})
 *       and stays trainable; the last pooling after it is kept;</li>
 *   <li>everything after that pooling ({@code flatten, fc6, fc7, fc8} and their activations) is removed, and the new
 *       head is appended to the pooling: {@code batch_normalization} (per channel, in the network's data format) ->
 *       {@code dropout} -> {@code flatten} -> {@code predictions} (dense softmax over the classes, cross-entropy
 *       loss).</li>
 * </ol>
 * The trainable parameters are those of the last convolution, the batch normalization and {@code predictions}; the
 * updater is Adam.
 */
public final class EmotionTransfer {

    private EmotionTransfer() { }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder: {@link #setBaseNetwork} is required. */
    public static final class Builder {
        private Model base;
        private VggArchitecture baseArchitecture = VGGFace.architecture();
        private List<String> classes = VGGEmotion.EMOTIONS;
        private double dropoutRate = 0.5;
        private double learningRate = 1e-3;
        private long seed = 42;

        private Builder() { }

        /** The VGGFace-architecture network to start from (required; it is not modified). */
        public Builder setBaseNetwork(ComputationGraph network) {
            this.base = network;
            return this;
        }

        /** The VGGFace-architecture network to start from (required; it is not modified). */
        public Builder setBaseNetwork(MultiLayerNetwork network) {
            this.base = network;
            return this;
        }

        /** The architecture the base network must have (default {@link VGGFace#architecture()}). */
        public Builder optBaseArchitecture(VggArchitecture architecture) {
            this.baseArchitecture = architecture;
            return this;
        }

        /** The class names (default {@link VGGEmotion#EMOTIONS}). */
        public Builder optClasses(List<String> classNames) {
            this.classes = classNames == null ? null : List.copyOf(classNames);
            return this;
        }

        /** The probability of dropping an activation in the head's dropout layer during training (default 0.5). */
        public Builder optDropoutRate(double rate) {
            this.dropoutRate = rate;
            return this;
        }

        /** Adam's learning rate (default 1e-3). */
        public Builder optLearningRate(double rate) {
            this.learningRate = rate;
            return this;
        }

        /** The seed of the new layers' initialization (default 42). */
        public Builder optSeed(long randomSeed) {
            this.seed = randomSeed;
            return this;
        }

        /**
         * Validates the settings and the base network, and builds the VGGEmotion network.
         *
         * @throws NullPointerException     if no base network was set
         * @throws IllegalArgumentException if a setting is out of range or the base network does not have the base
         *                                  architecture (the message names the first differing layer)
         */
        public EmotionNetwork build() {
            if (base == null) {
                throw new NullPointerException("base network is required: call setBaseNetwork");
            }
            if (baseArchitecture == null || baseArchitecture.normalizedHead()) {
                throw new IllegalArgumentException("the base architecture must be a VGGFace-style classifier, got "
                        + baseArchitecture);
            }
            if (classes == null || classes.size() < 2 || new HashSet<>(classes).size() != classes.size()) {
                throw new IllegalArgumentException("need at least two distinct class names, got " + classes);
            }
            if (!(dropoutRate >= 0 && dropoutRate < 1)) {
                throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + dropoutRate);
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
            }
            // DL4J reseeds the calling thread's ND4J generator and draws the new layers' weights from it.
            return ThreadRandom.preserving(() -> {
                ComputationGraph graph = base instanceof MultiLayerNetwork mln ? mln.toComputationGraph()
                        : ((ComputationGraph) base).clone();
                VggLayout.toKerasNames(Dl4jNetworks.toSpec(graph, "base network", baseArchitecture.inputShape()),
                        baseArchitecture);
                return transfer(graph);
            });
        }

        private EmotionNetwork transfer(ComputationGraph graph) {
            ComputationGraphConfiguration conf = graph.getConfiguration();
            List<String> order = conf.getTopologicalOrderStr();
            List<String> convolutions = new ArrayList<>();
            for (String name : order) {
                GraphVertex v = conf.getVertices().get(name);
                if (v instanceof LayerVertex lv) {
                    lv.getLayerConf().getLayer().setIDropout(null);
                    if (lv.getLayerConf().getLayer() instanceof ConvolutionLayer) {
                        convolutions.add(name);
                    }
                }
            }
            String lastConv = convolutions.get(convolutions.size() - 1);
            String frozenUpTo = conf.getVertexInputs().get(lastConv).get(0);
            String lastPool = consumers(conf, lastConv).get(0);
            if (!(conf.getVertices().get(lastPool) instanceof LayerVertex lv
                    && lv.getLayerConf().getLayer() instanceof SubsamplingLayer)) {
                throw new IllegalArgumentException("the last convolution '" + lastConv + "' feeds '" + lastPool
                        + "', expected the last pooling layer");
            }
            ConvolutionLayer convConf = (ConvolutionLayer) ((LayerVertex) conf.getVertices().get(lastConv))
                    .getLayerConf().getLayer();
            CNN2DFormat format = convConf.getCnn2dDataFormat();
            int channels = baseArchitecture.blockWidths()[VggArchitecture.BLOCKS - 1];
            int[] size = baseArchitecture.finalFeatureSize();
            VggArchitecture result = baseArchitecture.toBuilder().optNormalizedHead(true).optNumClasses(classes.size()).build();

            TransferLearning.GraphBuilder builder = new TransferLearning.GraphBuilder(graph)
                    .fineTuneConfiguration(new FineTuneConfiguration.Builder()
                            .updater(new Adam(learningRate)).seed(seed).build())
                    .setFeatureExtractor(frozenUpTo)
                    .nOutReplace(lastConv, channels, WeightInit.XAVIER);
            List<String> head = new ArrayList<>();
            for (String name = single(consumers(conf, lastPool)); name != null; name = single(consumers(conf, name))) {
                head.add(name);
            }
            for (int i = head.size() - 1; i >= 0; i--) {
                builder.removeVertexAndConnections(head.get(i));
            }
            builder.addLayer("batch_normalization", new BatchNormalization.Builder().nIn(channels).nOut(channels)
                            .dataFormat(format).build(), lastPool)
                    .addLayer("dropout", new DropoutLayer.Builder(1.0 - dropoutRate).build(), "batch_normalization")
                    .addVertex("flatten", new PreprocessorVertex(
                            new CnnToFeedForwardPreProcessor(size[0], size[1], channels, format)), "dropout")
                    .addLayer("predictions", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                            .nIn(result.flattenedSize()).nOut(classes.size()).activation(Activation.SOFTMAX)
                            .weightInit(WeightInit.XAVIER).build(), "flatten")
                    .setOutputs("predictions");
            ComputationGraph emotion = builder.build();

            List<String> frozen = new ArrayList<>();
            for (String name : convolutions) {
                if (!name.equals(lastConv)) {
                    frozen.add(name);
                }
            }
            return new EmotionNetwork(emotion, lastConv, frozen, format, result, classes);
        }

        private static List<String> consumers(ComputationGraphConfiguration conf, String vertex) {
            List<String> out = new ArrayList<>();
            for (var e : conf.getVertexInputs().entrySet()) {
                if (e.getValue().contains(vertex)) {
                    out.add(e.getKey());
                }
            }
            return out;
        }

        private static String single(List<String> names) {
            return names.isEmpty() ? null : names.get(0);
        }
    }
}
