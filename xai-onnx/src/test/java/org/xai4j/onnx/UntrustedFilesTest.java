package org.xai4j.onnx;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.onnx.proto.OnnxProto.AttributeProto;
import org.xai4j.onnx.proto.OnnxProto.GraphProto;
import org.xai4j.onnx.proto.OnnxProto.ModelProto;
import org.xai4j.onnx.proto.OnnxProto.NodeProto;
import org.xai4j.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.xai4j.onnx.proto.OnnxProto.StringStringEntryProto;
import org.xai4j.onnx.proto.OnnxProto.TensorProto;
import org.xai4j.onnx.proto.OnnxProto.TensorShapeProto;
import org.xai4j.onnx.proto.OnnxProto.TypeProto;
import org.xai4j.onnx.proto.OnnxProto.ValueInfoProto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Crafted files: every kind of broken or hostile input is refused at load with an {@link OnnxImportException} that
 * names what was wrong, and nothing is computed.
 */
class UntrustedFilesTest {

    @TempDir
    Path dir;

    // ---- a tiny classifier: Conv(2->3, 3x3, pad 1) -> Relu -> GlobalAveragePool -> Flatten -> Gemm(3->4)

    static TensorProto floats(String name, long[] dims, long seed) {
        int n = (int) Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        Random random = new Random(seed);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(1);
        for (long d : dims) {
            t.addDims(d);
        }
        for (int i = 0; i < n; i++) {
            t.addFloatData((float) random.nextGaussian());
        }
        return t.build();
    }

    static ValueInfoProto tensorInfo(String name, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            shape.addDim(d instanceof String s ? TensorShapeProto.Dimension.newBuilder().setDimParam(s)
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))).build();
    }

    static NodeProto node(String op, String name, String[] inputs, String[] outputs, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name);
        Arrays.stream(inputs).forEach(n::addInput);
        Arrays.stream(outputs).forEach(n::addOutput);
        Arrays.stream(attributes).forEach(n::addAttribute);
        return n.build();
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        Arrays.stream(values).forEach(a::addInts);
        return a.build();
    }

    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static GraphProto.Builder tinyGraph() {
        return GraphProto.newBuilder().setName("tiny")
                .addInitializer(floats("W", new long[] {3, 2, 3, 3}, 1))
                .addInitializer(floats("B", new long[] {3}, 2))
                .addInitializer(floats("FC", new long[] {4, 3}, 3))
                .addInput(tensorInfo("x", "batch", 2, 4, 4))
                .addNode(node("Conv", "conv", new String[] {"x", "W", "B"}, new String[] {"c"}, ints("pads", 1, 1, 1, 1)))
                .addNode(node("Relu", "relu", new String[] {"c"}, new String[] {"r"}))
                .addNode(node("GlobalAveragePool", "gap", new String[] {"r"}, new String[] {"g"}))
                .addNode(node("Flatten", "flat", new String[] {"g"}, new String[] {"f"}))
                .addNode(node("Gemm", "fc", new String[] {"f", "FC"}, new String[] {"y"}, integer("transB", 1)))
                .addOutput(tensorInfo("y", "batch", 4));
    }

    static ModelProto model(GraphProto.Builder graph, long opset) {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("xai4j-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(graph).build();
    }

    Path write(String name, ModelProto model) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, model.toByteArray());
        return file;
    }

    static String message(Path file) {
        try {
            OnnxModels.read(file);
        } catch (OnnxImportException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected " + file + " to be refused");
    }

    // ---- tests

    @Test
    void theTinyModelLoadsAndComputesItsClosedForm() throws Exception {
        OnnxModel onnx = OnnxModels.read(write("tiny.onnx", model(tinyGraph(), 13)));
        assertThat(onnx.inputShape()).containsExactly(2, 4, 4);
        assertThat(onnx.spec().layers().stream().map(l -> l.name()).toList()).containsExactly("c", "r", "g", "f", "y");
        assertThat(onnx.layerNamed("relu")).isEqualTo("r");
        assertThat(onnx.layerNamed("r")).isEqualTo("r");
        assertThatThrownBy(() -> onnx.layerNamed("nope")).hasMessageContaining("'nope'").hasMessageContaining("'y'");
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 4, 4);
        try (Nd4jImageModel model = Nd4jImageModel.of(onnx.spec(), DataType.DOUBLE)) {
            // Closed form: a direct loop over the convolution, the ReLU, the mean and the product.
            float[] w = floatsOf(floats("W", new long[] {3, 2, 3, 3}, 1));
            float[] b = floatsOf(floats("B", new long[] {3}, 2));
            float[] fc = floatsOf(floats("FC", new long[] {4, 3}, 3));
            INDArray logits = model.logits(x);
            for (int n = 0; n < 2; n++) {
                double[] pooled = new double[3];
                for (int o = 0; o < 3; o++) {
                    for (int y = 0; y < 4; y++) {
                        for (int xx = 0; xx < 4; xx++) {
                            double s = b[o];
                            for (int c = 0; c < 2; c++) {
                                for (int ky = 0; ky < 3; ky++) {
                                    for (int kx = 0; kx < 3; kx++) {
                                        int iy = y + ky - 1;
                                        int ix = xx + kx - 1;
                                        if (iy >= 0 && iy < 4 && ix >= 0 && ix < 4) {
                                            s += w[((o * 2 + c) * 3 + ky) * 3 + kx] * x.getDouble(n, c, iy, ix);
                                        }
                                    }
                                }
                            }
                            pooled[o] += Math.max(0, s) / 16;
                        }
                    }
                }
                for (int k = 0; k < 4; k++) {
                    double expected = 0;
                    for (int o = 0; o < 3; o++) {
                        expected += fc[k * 3 + o] * pooled[o];
                    }
                    assertThat(logits.getDouble(n, k)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
                }
            }
        }
    }

    static float[] floatsOf(TensorProto t) {
        float[] out = new float[t.getFloatDataCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.getFloatData(i);
        }
        return out;
    }

    @Test
    void missingTruncatedAndCorruptFilesAreRefused() throws Exception {
        assertThat(message(dir.resolve("absent.onnx"))).contains("absent.onnx", "does not exist");
        byte[] good = model(tinyGraph(), 13).toByteArray();
        Path truncated = dir.resolve("truncated.onnx");
        Files.write(truncated, Arrays.copyOf(good, good.length / 2));
        assertThat(message(truncated)).contains("truncated.onnx", "truncated or corrupt");
        Path garbage = dir.resolve("garbage.onnx");
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        Files.write(garbage, noise);
        assertThat(message(garbage)).contains("garbage.onnx", "truncated or corrupt");
        Path keras = dir.resolve("empty.onnx");
        Files.write(keras, new byte[0]);
        assertThat(message(keras)).contains("no graph");
    }

    @Test
    void unsupportedOperatorsAreListedWithNodeAndOpset() throws Exception {
        GraphProto.Builder g = tinyGraph();
        g.setNode(1, node("Mish", "my_mish", new String[] {"c"}, new String[] {"r"}));
        String m = message(write("mish.onnx", model(g, 13)));
        assertThat(m).contains("Mish", "my_mish", "opset 13", "supported operators", "Conv", "Gemm");
        Path vit = Path.of(getClass().getResource("/onnx/vit_tiny_op17.onnx").toURI());
        assertThat(message(vit)).contains("[Equal, Where]", "opset 17", "supported operators");
    }

    @Test
    void opsetsOutsideElevenToSeventeenAreRefused() throws Exception {
        assertThat(message(write("op9.onnx", model(tinyGraph(), 9)))).contains("opset 9", "11 to 17");
        assertThat(message(write("op18.onnx", model(tinyGraph(), 18)))).contains("opset 18", "11 to 17");
    }

    @Test
    void unsupportedFormsOfSupportedOperatorsNameTheNode() throws Exception {
        GraphProto.Builder g = tinyGraph();
        g.setNode(1, node("Transpose", "tr", new String[] {"c"}, new String[] {"r"}, ints("perm", 0, 2, 1, 3)));
        assertThat(message(write("transpose.onnx", model(g, 13))))
                .contains("node 'tr' (Transpose, opset 13)", "perm [0, 2, 1, 3]", "channel shuffle");
        GraphProto.Builder channelsLastPool = tinyGraph();
        channelsLastPool.setNode(1, node("Transpose", "tr", new String[] {"c"}, new String[] {"r"},
                ints("perm", 0, 2, 3, 1)));
        assertThat(message(write("nhwc.onnx", model(channelsLastPool, 13))))
                .contains("node 'gap' (GlobalAveragePool, opset 13)", "reads a channels-last activation [4, 4, 3]");
        GraphProto.Builder spatialOutput = tinyGraph().clearOutput().addOutput(tensorInfo("r", "batch", 3, 4, 4));
        assertThat(message(write("spatial.onnx", model(spatialOutput, 13)))).contains("output 'r'", "[3, 4, 4]",
                "one score per class");
        GraphProto.Builder twoInputs = tinyGraph().addInput(tensorInfo("z", 1, 2, 4, 4));
        assertThat(message(write("two.onnx", model(twoInputs, 13)))).contains("[x, z]", "exactly one image input");
        GraphProto.Builder badBias = tinyGraph();
        badBias.setInitializer(1, floats("B", new long[] {5}, 2));
        assertThat(message(write("bias.onnx", model(badBias, 13)))).contains("node 'conv' (Conv, opset 13)",
                "bias of 5 values for 3 output channels");
        GraphProto.Builder wrongChannels = tinyGraph();
        wrongChannels.setInitializer(0, floats("W", new long[] {3, 5, 3, 3}, 1));
        assertThat(message(write("channels.onnx", model(wrongChannels, 13)))).contains("node 'conv'",
                "for an input with 2 channels");
        GraphProto.Builder training = tinyGraph()
                .addInitializer(TensorProto.newBuilder().setName("on").setDataType(9).addInt32Data(1).build());
        training.setNode(1, node("Dropout", "drop", new String[] {"c", "", "on"}, new String[] {"r"}));
        assertThat(message(write("dropout.onnx", model(training, 13)))).contains("node 'drop' (Dropout, opset 13)",
                "training mode");
        GraphProto.Builder symbolic = tinyGraph().setInput(0, tensorInfo("x", "batch", 2, "h", "w"));
        Path symbolicFile = write("symbolic.onnx", model(symbolic, 13));
        assertThat(message(symbolicFile)).contains("height", "optInputSize");
        assertThat(OnnxModels.read(symbolicFile, OnnxImportOptions.builder().optInputSize(6, 5).build()).inputShape())
                .containsExactly(2, 6, 5);
    }

    @Test
    void cyclesUndefinedTensorsAndDeepGraphsAreRefused() throws Exception {
        GraphProto.Builder cyclic = tinyGraph();
        cyclic.setNode(0, node("Conv", "conv", new String[] {"f2", "W", "B"}, new String[] {"c"}, ints("pads", 1, 1, 1, 1)));
        cyclic.addNode(node("Relu", "back", new String[] {"r"}, new String[] {"f2"}));
        assertThat(message(write("cycle.onnx", model(cyclic, 13)))).contains("cycle", "conv (Conv)", "back (Relu)");
        GraphProto.Builder undefined = tinyGraph();
        undefined.setNode(1, node("Relu", "relu", new String[] {"nowhere"}, new String[] {"r"}));
        assertThat(message(write("undefined.onnx", model(undefined, 13)))).contains("'nowhere'", "no node");
        GraphProto.Builder deep = tinyGraph();
        deep.setNode(1, node("Relu", "relu0", new String[] {"c"}, new String[] {"r0"}));
        for (int i = 1; i < 30; i++) {
            deep.addNode(node("Relu", "relu" + i, new String[] {"r" + (i - 1)}, new String[] {i == 29 ? "r" : "r" + i}));
        }
        Path file = write("deep.onnx", model(deep, 13));
        assertThat(OnnxModels.read(file).spec().layers()).hasSize(34);
        assertThatThrownBy(() -> OnnxModels.read(file, OnnxImportOptions.builder().optMaxDepth(20).build()))
                .isInstanceOf(OnnxImportException.class).hasMessageContaining("more than 20 nodes")
                .hasMessageContaining("optMaxDepth");
        assertThatThrownBy(() -> OnnxModels.read(file, OnnxImportOptions.builder().optMaxNodes(10).build()))
                .hasMessageContaining("more than the limit of 10");
        assertThatThrownBy(() -> OnnxModels.read(file, OnnxImportOptions.builder().optMaxFileBytes(100).build()))
                .hasMessageContaining("more than the limit of 100");
    }

    @Test
    void declaredSizesAreCheckedAgainstTheBytesPresent() throws Exception {
        // A billion floats declared, four bytes present: refused before any allocation.
        TensorProto huge = TensorProto.newBuilder().setName("W").setDataType(1).addDims(1_000_000_000L).addDims(3)
                .setRawData(ByteString.copyFrom(new byte[4])).build();
        GraphProto.Builder g = tinyGraph();
        g.setInitializer(0, huge);
        assertThat(message(write("huge.onnx", model(g, 13)))).contains("tensor 'W'", "3000000000 elements");
        TensorProto shortRaw = TensorProto.newBuilder().setName("W").setDataType(1).addDims(3).addDims(2).addDims(3)
                .addDims(3).setRawData(ByteString.copyFrom(new byte[40])).build();
        g.setInitializer(0, shortRaw);
        assertThat(message(write("short.onnx", model(g, 13)))).contains("tensor 'W'", "holds 40 bytes");
        TensorProto fewFloats = TensorProto.newBuilder().setName("W").setDataType(1).addDims(3).addDims(2).addDims(3)
                .addDims(3).addFloatData(1f).build();
        g.setInitializer(0, fewFloats);
        assertThat(message(write("few.onnx", model(g, 13)))).contains("tensor 'W'", "holds 1");
        TensorProto overflow = TensorProto.newBuilder().setName("W").setDataType(1).addDims(1L << 40).addDims(1L << 40)
                .build();
        g.setInitializer(0, overflow);
        assertThat(message(write("overflow.onnx", model(g, 13)))).contains("overflows");
    }

    /** The tiny model with its conv weights in an external file at {@code location}. */
    ModelProto externalModel(String location, long offset, long length) {
        TensorProto w = TensorProto.newBuilder().setName("W").setDataType(1).addAllDims(java.util.List.of(3L, 2L, 3L, 3L))
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(offset)))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(Long.toString(length)))
                .build();
        GraphProto.Builder g = tinyGraph();
        g.setInitializer(0, w);
        return model(g, 13);
    }

    static byte[] littleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    @Test
    void externalDataLoadsFromTheModelFolderOnly() throws Exception {
        float[] w = floatsOf(floats("W", new long[] {3, 2, 3, 3}, 1));
        byte[] bytes = littleEndian(w);
        byte[] padded = new byte[bytes.length + 16];
        System.arraycopy(bytes, 0, padded, 16, bytes.length);
        Files.write(dir.resolve("weights.bin"), padded);
        Path good = write("external.onnx", externalModel("weights.bin", 16, bytes.length));
        Path inline = write("inline.onnx", model(tinyGraph(), 13));
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 2, 4, 4);
        try (Nd4jImageModel a = OnnxModels.read(good).imageModel(); Nd4jImageModel b = OnnxModels.read(inline).imageModel()) {
            assertThat(a.logits(x).equalsWithEps(b.logits(x), 0)).isTrue();
        }
        String abs = dir.resolve("weights.bin").toAbsolutePath().toString();
        assertThat(message(write("absolute.onnx", externalModel(abs, 16, bytes.length)))).contains("absolute");
        Files.createDirectories(dir.resolve("sub"));
        Path outside = Files.createTempFile("xai4j-outside", ".bin");
        try {
            Files.write(outside, padded);
            Path nested = dir.resolve("sub");
            Files.write(nested.resolve("dotdot.onnx"), externalModel("../weights.bin", 16, bytes.length).toByteArray());
            assertThat(message(nested.resolve("dotdot.onnx"))).contains("'..'");
            Files.createSymbolicLink(dir.resolve("link.bin"), outside);
            assertThat(message(write("link.onnx", externalModel("link.bin", 16, bytes.length))))
                    .contains("leads out of the model's folder");
        } finally {
            Files.deleteIfExists(outside);
        }
        assertThat(message(write("missing.onnx", externalModel("nothere.bin", 0, bytes.length))))
                .contains("'nothere.bin'", "does not exist");
        assertThat(message(write("beyond.onnx", externalModel("weights.bin", 64, bytes.length))))
                .contains("needs " + bytes.length + " bytes at offset 64", "holds only " + padded.length);
        assertThat(message(write("length.onnx", externalModel("weights.bin", 16, 12)))).contains("length 12");
    }
}
