package org.xai4j.onnx;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.onnx.proto.OnnxProto.ModelProto;
import org.xai4j.onnx.proto.OnnxProto.NodeProto;
import org.xai4j.onnx.proto.OnnxProto.TensorProto;
import org.xai4j.onnx.proto.OnnxProto.ValueInfoProto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ONNX's own backend conformance data (Debian {@code libonnx-testdata}: {@code node/} and {@code pytorch-converted/}):
 * every case whose operators are all supported is imported and run, its first input as the image batch (a
 * {@code [n, f]} input as {@code [n, f, 1, 1]} flattened again by the first layer), its other inputs bound as
 * constants, a spatial output flattened; the output must equal ONNX's expected output. A case the
 * importer refuses (an unsupported form of a supported operator, a non-image input) is skipped with the refusal as
 * its reason, so the report lists it; what imports must never compute wrongly. Cases with unsupported operators are
 * listed by {@link #listsTheCasesItSkips()}. The whole class is skipped when the package is absent.
 */
class OnnxConformanceTest {

    static final Path DATA = Path.of("/usr/share/libonnx-testdata/data");

    /** ONNX's backend tests compare with rtol 1e-3; atol 1e-5 rather than 1e-7 for float32 sums of many terms. */
    static final double RTOL = 1e-3;
    static final double ATOL = 1e-5;
    /**
     * pytorch-converted/ was exported at opset 6. Conv, pooling, BatchNormalization, Pad (attribute form), Gemm and the
     * activations they use mean the same at opsets 6 to 10 for the attributes they set, so the harness reads them
     * (OnnxModels.read itself refuses opsets below 11). An attribute the importer ignored would show as a wrong output.
     */
    static final long OLDEST_OPSET = 6;

    static List<Path> cases() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(DATA.resolve("node")),
                "Debian package libonnx-testdata is not installed (" + DATA + "); .ci/run installs it");
        List<Path> out = new ArrayList<>();
        for (String suite : new String[] {"node", "pytorch-converted"}) {
            try (Stream<Path> dirs = Files.list(DATA.resolve(suite))) {
                dirs.filter(d -> Files.isRegularFile(d.resolve("model.onnx"))
                        && Files.isRegularFile(d.resolve("test_data_set_0/input_0.pb"))).sorted().forEach(out::add);
            }
        }
        return out;
    }

    static ModelProto parse(Path file) throws IOException {
        return ModelProto.parseFrom(Files.readAllBytes(file));
    }

    /** The operators of a case the importer does not support, or empty. */
    static List<String> unsupportedOps(ModelProto model) {
        return model.getGraph().getNodeList().stream().map(NodeProto::getOpType)
                .filter(op -> !OnnxModels.SUPPORTED_OPERATORS.contains(op)).distinct().toList();
    }

    @TestFactory
    Stream<DynamicTest> supportedCasesMatchTheExpectedOutputs() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : cases()) {
            ModelProto model = parse(dir.resolve("model.onnx"));
            if (unsupportedOps(model).isEmpty()) {
                tests.add(DynamicTest.dynamicTest(dir.getParent().getFileName() + "/" + dir.getFileName(),
                        () -> runCase(dir, model)));
            }
        }
        assertThat(tests).as("conformance cases with supported operators").hasSizeGreaterThan(100);
        return tests.stream();
    }

    static void runCase(Path dir, ModelProto model) throws Exception {
        Path data = dir.resolve("test_data_set_0");
        List<ValueInfoProto> inputs = model.getGraph().getInputList().stream()
                .filter(v -> model.getGraph().getInitializerList().stream().noneMatch(t -> t.getName().equals(v.getName())))
                .toList();
        Map<String, TensorProto> bound = new HashMap<>();
        for (int i = 1; i < inputs.size(); i++) {
            bound.put(inputs.get(i).getName(), TensorProto.parseFrom(Files.readAllBytes(data.resolve("input_" + i + ".pb"))));
        }
        Assumptions.assumeTrue(model.getGraph().getOutputCount() == 1, "has " + model.getGraph().getOutputCount()
                + " outputs");
        OnnxModel onnx;
        try {
            onnx = new OnnxConverter(dir.resolve("model.onnx"), model, OnnxImportOptions.DEFAULTS).forConformance(bound, OLDEST_OPSET)
                    .convert();
        } catch (OnnxImportException e) {
            Assumptions.abort("refused at load: " + e.getMessage().replace(dir.toString(), ""));
            return;
        }
        TensorProto input = TensorProto.parseFrom(Files.readAllBytes(data.resolve("input_0.pb")));
        TensorProto output = TensorProto.parseFrom(Files.readAllBytes(data.resolve("output_0.pb")));
        TensorReader reader = new TensorReader(dir.resolve("model.onnx"), Integer.MAX_VALUE);
        INDArray x = reader.read(input).toArray();
        if (x.rank() == 2) {
            x = x.reshape(x.size(0), x.size(1), 1, 1);
        }
        INDArray expected = reader.read(output).toArray();
        long n = x.size(0);
        try (Nd4jImageModel engine = Nd4jImageModel.of(onnx.spec())) {
            // A final Softmax is the engine's probabilities; its logits are the softmax's input.
            boolean softmax = model.getGraph().getNodeList().stream().anyMatch(nd -> nd.getOpType().equals("Softmax")
                    && nd.getOutputList().contains(model.getGraph().getOutput(0).getName()));
            INDArray actual = (softmax ? engine.probabilities(x.castTo(DataType.FLOAT))
                    : engine.logits(x.castTo(DataType.FLOAT))).castTo(DataType.DOUBLE);
            INDArray flat = expected.reshape(n, expected.length() / n);
            assertThat(actual.shape()).isEqualTo(flat.shape());
            INDArray allowed = org.nd4j.linalg.ops.transforms.Transforms.abs(flat).muli(RTOL).addi(ATOL);
            INDArray diff = org.nd4j.linalg.ops.transforms.Transforms.abs(actual.sub(flat));
            double worst = diff.sub(allowed).maxNumber().doubleValue();
            assertThat(worst).as(dir.getFileName() + ": max |diff| " + diff.maxNumber() + " over the tolerance").isLessThanOrEqualTo(0);
            System.out.println("conformance case passed: " + dir.getParent().getFileName() + "/" + dir.getFileName()
                    + ", max |diff| " + diff.maxNumber());
        }
    }

    @Test
    void listsTheCasesItSkips() throws IOException {
        Map<String, List<String>> byOperator = new TreeMap<>();
        int supported = 0;
        for (Path dir : cases()) {
            List<String> missing = unsupportedOps(parse(dir.resolve("model.onnx")));
            if (missing.isEmpty()) {
                supported++;
            }
            for (String op : missing) {
                byOperator.computeIfAbsent(op, k -> new ArrayList<>()).add(dir.getFileName().toString());
            }
        }
        StringBuilder report = new StringBuilder("ONNX conformance: " + supported + " cases use only supported operators; "
                + "cases skipped for unsupported operators:\n");
        byOperator.forEach((op, names) -> report.append("  ").append(op).append(" (").append(names.size()).append("): ")
                .append(names.size() > 4 ? names.subList(0, 4) + "..." : names).append('\n'));
        System.out.println(report);
        assertThat(byOperator).as("operators the importer does not run").containsKeys("Where", "Equal");
        assertThat(byOperator).doesNotContainKeys("Conv", "Relu", "MaxPool", "Gemm");
    }
}
