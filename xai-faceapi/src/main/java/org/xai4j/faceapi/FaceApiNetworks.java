package org.xai4j.faceapi;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.LayerInfo;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.NetworkSpec;

/**
 * face-api's architectures as engine graphs, transcribed from the TypeScript source of @vladmandic/face-api 1.7.15
 * ({@code src/faceFeatureExtractor/denseBlock.ts}, {@code src/faceRecognitionNet/}, {@code src/xception/},
 * {@code src/tinyYolov2/TinyYolov2Base.ts}). Layers are named after the manifest's weight prefixes
 * ({@code dense1/conv2}, {@code conv64_down/conv1}, ...); a separable convolution {@code p} is the depthwise layer
 * {@code p/depthwise} followed by the pointwise layer {@code p}, and the unit a block or residual returns carries the
 * block's name ({@code dense1}, {@code conv64_down}). Every network starts with the face-api normalization
 * ({@link FaceApiPreprocessing}) as its layer {@code preprocessing}, so it takes RGB pixels in [0, 1].
 */
final class FaceApiNetworks {

    /** TF.js's leaky slope in {@code tinyYolov2/leaky.ts}: the float32 value of 0.1. */
    static final double LEAKY_ALPHA = 0.10000000149011612;

    private FaceApiNetworks() { }

    /** FaceFeatureExtractor (four dense blocks, 7x7 average pooling) plus a fully connected head ({@code fc}). */
    static NetworkSpec featureExtractorWithHead(String name, TfjsWeights w, int outputs) {
        Graph g = new Graph(name, 112, FaceApiPreprocessing.FACE);
        String x = g.last;
        x = denseBlock4(g, w, "dense0", x, true);
        x = denseBlock4(g, w, "dense1", x, false);
        x = denseBlock4(g, w, "dense2", x, false);
        x = denseBlock4(g, w, "dense3", x, false);
        g.add(new LayerSpec.Pooling("avg_pool", LayerSpec.PoolingType.AVG, new int[] {7, 7}, new int[] {2, 2},
                new int[] {0, 0}, false, false), x);
        g.add(new LayerSpec.Flatten("flatten", true), "avg_pool");
        INDArray weights = w.get("fc/weights");
        if (weights.size(1) != outputs) {
            throw new IllegalArgumentException("fc/weights of " + name + " has " + weights.size(1) + " outputs, expected "
                    + outputs);
        }
        g.add(new LayerSpec.Dense("fc", weights, w.get("fc/bias"), ActivationFunction.IDENTITY, 0), "flatten");
        return g.build();
    }

    /** {@code denseBlock4} of denseBlock.ts: out1..out4 with dense (cumulative) sums between them. */
    private static String denseBlock4(Graph g, TfjsWeights w, String p, String in, boolean first) {
        String out1;
        if (first) {
            out1 = g.conv(w, p + "/conv0", in, 2, true, ActivationFunction.RELU);
        } else {
            out1 = g.separable(w, p + "/conv0", in, 2, true, null, ActivationFunction.RELU);
        }
        String out2 = g.separable(w, p + "/conv1", out1, 1, true, null, ActivationFunction.IDENTITY);
        String in3 = g.sumRelu(p + "/sum2", p + "/relu2", out1, out2);
        String out3 = g.separable(w, p + "/conv2", in3, 1, true, null, ActivationFunction.IDENTITY);
        String in4 = g.sumRelu(p + "/sum3", p + "/relu3", out1, out2, out3);
        String out4 = g.separable(w, p + "/conv3", in4, 1, true, null, ActivationFunction.IDENTITY);
        return g.sumRelu(p + "/sum4", p, out1, out2, out3, out4);
    }

    /** FaceRecognitionNet: a ResNet-34-like network on 150x150 faces, ending in a 128-d descriptor ({@code fc}). */
    static NetworkSpec recognition(String name, TfjsWeights w) {
        Graph g = new Graph(name, 150, FaceApiPreprocessing.FACE);
        String x = convLayer(g, w, "conv32_down", g.last, 2, true);
        g.add(new LayerSpec.Pooling("max_pool", LayerSpec.PoolingType.MAX, new int[] {3, 3}, new int[] {2, 2},
                new int[] {0, 0}, false, false), x);
        x = "max_pool";
        for (String block : new String[] {"conv32_1", "conv32_2", "conv32_3"}) {
            x = residual(g, w, block, x);
        }
        x = residualDown(g, w, "conv64_down", x);
        for (String block : new String[] {"conv64_1", "conv64_2", "conv64_3"}) {
            x = residual(g, w, block, x);
        }
        x = residualDown(g, w, "conv128_down", x);
        x = residual(g, w, "conv128_1", x);
        x = residual(g, w, "conv128_2", x);
        x = residualDown(g, w, "conv256_down", x);
        x = residual(g, w, "conv256_1", x);
        x = residual(g, w, "conv256_2", x);
        x = residualDown(g, w, "conv256_down_out", x);
        g.add(new LayerSpec.GlobalPooling("global_avg_pool", LayerSpec.PoolingType.AVG), x);
        g.add(new LayerSpec.Dense("fc", w.get("fc"), null, ActivationFunction.IDENTITY, 0), "global_avg_pool");
        return g.build();
    }

    /** convLayer.ts: convolution, bias, per-channel scale layer, optional ReLU; "down" means stride 2, VALID. */
    private static String convLayer(Graph g, TfjsWeights w, String p, String in, int stride, boolean relu) {
        boolean valid = stride == 2;
        g.add(new LayerSpec.Convolution(p + "/conv", filters(w.get(p + "/conv/filters")), w.get(p + "/conv/bias"),
                new int[] {stride, stride}, new int[] {0, 0}, new int[] {1, 1}, !valid, ActivationFunction.IDENTITY, 0),
                in);
        g.add(new LayerSpec.ChannelAffine(p, w.get(p + "/scale/weights"), w.get(p + "/scale/biases"),
                relu ? ActivationFunction.RELU : ActivationFunction.IDENTITY, 0), p + "/conv");
        return p;
    }

    /** residualLayer.ts {@code residual}: relu(convNoRelu(conv(x)) + x). */
    private static String residual(Graph g, TfjsWeights w, String p, String in) {
        String a = convLayer(g, w, p + "/conv1", in, 1, true);
        String b = convLayer(g, w, p + "/conv2", a, 1, false);
        return g.sumRelu(p + "/add", p, b, in);
    }

    /**
     * residualLayer.ts {@code residualDown}: the shortcut is a 2x2 average pooling, widened with zero channels when the
     * block doubles them; the residual branch gets a zero row and column (bottom, right) when its VALID stride-2
     * convolution comes out one smaller than the pooling.
     */
    private static String residualDown(Graph g, TfjsWeights w, String p, String in) {
        long[] inShape = g.shapeOf(in);
        String a = convLayer(g, w, p + "/conv1", in, 2, true);
        String b = convLayer(g, w, p + "/conv2", a, 1, false);
        long outChannels = w.get(p + "/conv2/conv/filters").size(3);
        long convSize = (inShape[1] - 3) / 2 + 1;
        long poolSize = (inShape[1] - 2) / 2 + 1;
        if (convSize != poolSize) {
            g.add(new LayerSpec.ZeroPadding(p + "/pad", new int[] {0, (int) (poolSize - convSize), 0,
                    (int) (poolSize - convSize)}), b);
            b = p + "/pad";
        }
        g.add(new LayerSpec.Pooling(p + "/pool", LayerSpec.PoolingType.AVG, new int[] {2, 2}, new int[] {2, 2},
                new int[] {0, 0}, false, false), in);
        String shortcut = p + "/pool";
        if (outChannels != inShape[0]) {
            // tf.zeros of the pooled shape, concatenated on the channels: a zero-scaled copy keeps it in the graph.
            g.add(new LayerSpec.ScalarAffine(p + "/zeros", 0, 0), shortcut);
            g.add(new LayerSpec.Concat(p + "/shortcut"), shortcut, p + "/zeros");
            shortcut = p + "/shortcut";
        }
        return g.sumRelu(p + "/add", p, shortcut, b);
    }

    /**
     * AgeGenderNet: TinyXception with two main blocks, 7x7 average pooling, and the heads {@code fc/age} (1 output)
     * and {@code fc/gender} (2 logits: male, female), concatenated as the output {@code age_gender}.
     */
    static NetworkSpec ageGender(String name, TfjsWeights w) {
        Graph g = new Graph(name, 112, FaceApiPreprocessing.FACE);
        String x = g.conv(w, "entry_flow/conv_in", g.last, 2, true, ActivationFunction.RELU);
        x = reductionBlock(g, w, "entry_flow/reduction_block_0", x, false);
        x = reductionBlock(g, w, "entry_flow/reduction_block_1", x, true);
        for (int i = 0; w.has("middle_flow/main_block_" + i + "/separable_conv0/bias"); i++) {
            x = mainBlock(g, w, "middle_flow/main_block_" + i, x);
        }
        x = reductionBlock(g, w, "exit_flow/reduction_block", x, true);
        x = g.separable(w, "exit_flow/separable_conv", x, 1, true, null, ActivationFunction.RELU);
        g.add(new LayerSpec.Pooling("avg_pool", LayerSpec.PoolingType.AVG, new int[] {7, 7}, new int[] {2, 2},
                new int[] {0, 0}, false, false), x);
        g.add(new LayerSpec.Flatten("flatten", true), "avg_pool");
        g.add(new LayerSpec.Dense("fc/age", w.get("fc/age/weights"), w.get("fc/age/bias"), ActivationFunction.IDENTITY,
                0), "flatten");
        g.add(new LayerSpec.Dense("fc/gender", w.get("fc/gender/weights"), w.get("fc/gender/bias"),
                ActivationFunction.IDENTITY, 0), "flatten");
        g.add(new LayerSpec.Concat("age_gender"), "fc/age", "fc/gender");
        return g.build();
    }

    /** TinyXception.ts {@code reductionBlock}. */
    private static String reductionBlock(Graph g, TfjsWeights w, String p, String in, boolean activateInput) {
        String x = in;
        if (activateInput) {
            g.add(new LayerSpec.Activation(p + "/relu_in", ActivationFunction.RELU, 0), in);
            x = p + "/relu_in";
        }
        x = g.separable(w, p + "/separable_conv0", x, 1, true, null, ActivationFunction.RELU);
        x = g.separable(w, p + "/separable_conv1", x, 1, true, null, ActivationFunction.IDENTITY);
        g.add(new LayerSpec.Pooling(p + "/max_pool", LayerSpec.PoolingType.MAX, new int[] {3, 3}, new int[] {2, 2},
                new int[] {0, 0}, true, false), x);
        String expansion = g.conv(w, p + "/expansion_conv", in, 2, true, ActivationFunction.IDENTITY);
        g.add(new LayerSpec.ElementWise(p, LayerSpec.ElementWiseOp.ADD), p + "/max_pool", expansion);
        return p;
    }

    /** TinyXception.ts {@code mainBlock}. */
    private static String mainBlock(Graph g, TfjsWeights w, String p, String in) {
        g.add(new LayerSpec.Activation(p + "/relu_in", ActivationFunction.RELU, 0), in);
        String x = g.separable(w, p + "/separable_conv0", p + "/relu_in", 1, true, null, ActivationFunction.RELU);
        x = g.separable(w, p + "/separable_conv1", x, 1, true, null, ActivationFunction.RELU);
        x = g.separable(w, p + "/separable_conv2", x, 1, true, null, ActivationFunction.IDENTITY);
        g.add(new LayerSpec.ElementWise(p, LayerSpec.ElementWiseOp.ADD), x, in);
        return p;
    }

    /**
     * TinyFaceDetector (TinyYolov2Base.runMobilenet with a first plain convolution and no conv6/conv7): the output
     * {@code output} is conv8's {@code [13, 13, 25]} grid (for a 416 input) flattened in TensorFlow's (row, column,
     * anchor * 5 + field) order.
     */
    static NetworkSpec tinyFaceDetector(String name, TfjsWeights w, int inputSize) {
        Graph g = new Graph(name, inputSize, FaceApiPreprocessing.TINY_FACE_DETECTOR);
        String x = g.add(new LayerSpec.Convolution("conv0", filters(w.get("conv0/filters")), w.get("conv0/bias"),
                new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, false, ActivationFunction.LEAKY_RELU,
                LEAKY_ALPHA), g.last);
        for (int i = 1; i <= 5; i++) {
            g.add(new LayerSpec.Pooling("max_pool" + (i - 1), LayerSpec.PoolingType.MAX, new int[] {2, 2},
                    new int[] {2, 2}, new int[] {0, 0}, true, false), x);
            // tinyYolov2/depthwiseSeparableConv.ts pads by one and convolves VALID: explicit padding 1.
            x = g.separable(w, "conv" + i, "max_pool" + (i - 1), 1, false, new int[] {1, 1},
                    ActivationFunction.LEAKY_RELU);
        }
        g.add(new LayerSpec.Pooling("max_pool5", LayerSpec.PoolingType.MAX, new int[] {2, 2}, new int[] {1, 1},
                new int[] {0, 0}, true, false), x);
        x = g.add(new LayerSpec.Convolution("conv8", filters(w.get("conv8/filters")), w.get("conv8/bias"),
                new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, false, ActivationFunction.IDENTITY, 0),
                "max_pool5");
        g.add(new LayerSpec.Flatten("output", true), x);
        return g.build();
    }

    /** TensorFlow filters {@code [kH, kW, in, out]} as the engine's {@code [out, in, kH, kW]}. */
    static INDArray filters(INDArray tf) {
        return tf.permute(3, 2, 0, 1).dup('c');
    }

    /** A graph under construction that tracks each layer's per-example NCHW shape (for the residual geometry). */
    private static final class Graph {
        private final NetworkSpec.GraphBuilder builder;
        private final java.util.Map<String, long[]> shapes = new java.util.HashMap<>();
        private String last;

        Graph(String name, int size, FaceApiPreprocessing preprocessing) {
            builder = NetworkSpec.graph(name, 3, size, size);
            shapes.put(LayerInfo.MODEL_INPUT, new long[] {3, size, size});
            add(preprocessing.layer(), LayerInfo.MODEL_INPUT);
        }

        String add(LayerSpec layer, String... inputs) {
            builder.add(layer, inputs);
            shapes.put(layer.name(), shapeAfter(layer, java.util.Arrays.stream(inputs).map(shapes::get).toList()));
            last = layer.name();
            return layer.name();
        }

        long[] shapeOf(String layer) {
            return shapes.get(layer);
        }

        String conv(TfjsWeights w, String p, String in, int stride, boolean same, ActivationFunction act) {
            return add(new LayerSpec.Convolution(p, filters(w.get(p + "/filters")), w.get(p + "/bias"),
                    new int[] {stride, stride}, new int[] {0, 0}, new int[] {1, 1}, same, act,
                    act == ActivationFunction.LEAKY_RELU ? LEAKY_ALPHA : 0), in);
        }

        /** tf.separableConv2d then bias: a depthwise layer {@code p/depthwise} and the pointwise layer {@code p}. */
        String separable(TfjsWeights w, String p, String in, int stride, boolean same, int[] padding,
                         ActivationFunction act) {
            add(new LayerSpec.DepthwiseConvolution(p + "/depthwise", w.get(p + "/depthwise_filter"), null,
                    new int[] {stride, stride}, padding == null ? new int[] {0, 0} : padding, new int[] {1, 1}, same,
                    ActivationFunction.IDENTITY, 0), in);
            return add(new LayerSpec.Convolution(p, filters(w.get(p + "/pointwise_filter")), w.get(p + "/bias"),
                    new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, false, act,
                    act == ActivationFunction.LEAKY_RELU ? LEAKY_ALPHA : 0), p + "/depthwise");
        }

        /** An element-wise sum of the inputs, then a ReLU named {@code relu}. */
        String sumRelu(String sum, String relu, String... inputs) {
            add(new LayerSpec.ElementWise(sum, LayerSpec.ElementWiseOp.ADD), inputs);
            return add(new LayerSpec.Activation(relu, ActivationFunction.RELU, 0), sum);
        }

        NetworkSpec build() {
            return builder.build();
        }

        /** Per-example output shapes of the layer kinds used here (the engine checks them again when it compiles). */
        private static long[] shapeAfter(LayerSpec layer, java.util.List<long[]> inputs) {
            long[] in = inputs.get(0);
            if (layer instanceof LayerSpec.Convolution c) {
                return new long[] {c.weights().size(0), size(in[1], c.weights().size(2), c.stride()[0], c.padding()[0],
                        c.samePadding()), size(in[2], c.weights().size(3), c.stride()[1], c.padding()[1], c.samePadding())};
            } else if (layer instanceof LayerSpec.DepthwiseConvolution d) {
                return new long[] {in[0] * d.weights().size(3), size(in[1], d.weights().size(0), d.stride()[0],
                        d.padding()[0], d.samePadding()), size(in[2], d.weights().size(1), d.stride()[1], d.padding()[1],
                        d.samePadding())};
            } else if (layer instanceof LayerSpec.Pooling p) {
                return new long[] {in[0], size(in[1], p.kernel()[0], p.stride()[0], p.padding()[0], p.samePadding()),
                        size(in[2], p.kernel()[1], p.stride()[1], p.padding()[1], p.samePadding())};
            } else if (layer instanceof LayerSpec.ZeroPadding z) {
                return new long[] {in[0], in[1] + z.padding()[0] + z.padding()[1], in[2] + z.padding()[2] + z.padding()[3]};
            } else if (layer instanceof LayerSpec.Concat) {
                long[] out = in.clone();
                out[0] = inputs.stream().mapToLong(s -> s[0]).sum();
                return out;
            } else if (layer instanceof LayerSpec.Flatten) {
                return new long[] {java.util.Arrays.stream(in).reduce(1, (a, b) -> a * b)};
            } else if (layer instanceof LayerSpec.Dense d) {
                return new long[] {d.weights().size(1)};
            } else if (layer instanceof LayerSpec.GlobalPooling) {
                return new long[] {in[0]};
            }
            return in.clone(); // element-wise and per-channel layers keep the shape
        }

        private static long size(long in, long kernel, int stride, int padding, boolean same) {
            return same ? (in + stride - 1) / stride : (in + 2L * padding - kernel) / stride + 1;
        }
    }
}
