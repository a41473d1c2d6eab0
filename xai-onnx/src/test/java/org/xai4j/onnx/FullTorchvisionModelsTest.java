package org.xai4j.onnx;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.LayerSelectors;
import org.xai4j.engine.Nd4jImageModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opt-in check on whole torchvision classifiers at 224x224 (too large to commit): every {@code .onnx} file in the folder
 * named by the system property {@code xai4j.onnx.fullModels} (written by
 * {@code src/test/python/export_torchvision_full.py}) must import, and its logits must equal ONNX Runtime's on a batch
 * of two random inputs. Skipped, with a message, when the property is not set.
 */
class FullTorchvisionModelsTest {

    @TestFactory
    Stream<DynamicTest> wholeTorchvisionModelsMatchOnnxRuntime() throws IOException {
        String folder = System.getProperty("xai4j.onnx.fullModels");
        Assumptions.assumeTrue(folder != null && Files.isDirectory(Path.of(folder)),
                "set -Dxai4j.onnx.fullModels to a folder written by export_torchvision_full.py to run this check");
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of(folder))) {
            files = list.filter(p -> p.toString().endsWith(".onnx")).sorted().toList();
        }
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            OnnxModel onnx = OnnxModels.read(file);
            Nd4j.getRandom().setSeed(3);
            INDArray x = Nd4j.randn(DataType.FLOAT, 2, 3, 224, 224);
            INDArray expected = TorchvisionFixturesTest.runtimeLogits(file, x.castTo(DataType.DOUBLE));
            try (Nd4jImageModel model = onnx.imageModel()) {
                INDArray logits = model.logits(x).castTo(DataType.DOUBLE);
                double ratio = TorchvisionFixturesTest.assertRelativeToMax(logits, expected, 1e-3,
                        file.getFileName() + " logits vs ONNX Runtime");
                String cam = LayerSelectors.lastSpatialLayerBeforeGlobalPooling(model);
                assertThat(model.layerInfo(cam).isSpatial()).isTrue();
                System.out.println("full model " + file.getFileName() + ": " + onnx.spec().layers().size() + " layers, max "
                        + "|diff|/max|logit| " + ratio + ", default CAM layer " + cam + " "
                        + java.util.Arrays.toString(model.layerShape(cam)));
            }
        }));
    }
}
