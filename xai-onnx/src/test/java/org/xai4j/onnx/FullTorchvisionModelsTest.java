package org.xai4j.onnx;

import org.xai4j.models.Preprocessing;

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
 * of two random inputs. For the families with Captum references in the folder, integrated gradients (16 Gauss-Legendre
 * steps), saliency and Grad-CAM at the default layer must agree with Captum's on the same PyTorch model with ImageNet
 * normalization in front. Skipped, with a message, when the property is not set.
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
            String family = file.getFileName().toString().replaceAll("_op\\d+\\.onnx$", "");
            Path input = file.resolveSibling(family + "_input.npy");
            if (Files.isRegularFile(input)) {
                compareWithCaptum(onnx, file.getParent(), family);
            }
        }));
    }

    /**
     * Attributions on the whole model against Captum's. Deep float32 networks differ from PyTorch's float32 at ReLU and
     * max-pool ties (see the DL4J facts), so gradients are compared by relative L2 (1e-2), Grad-CAM after min-max
     * scaling (1e-2 of the maximum).
     */
    static void compareWithCaptum(OnnxModel onnx, Path folder, String family) throws IOException {
        INDArray x = Nd4j.createFromNpyFile(folder.resolve(family + "_input.npy").toFile());
        int target = Integer.parseInt(Files.readString(folder.resolve(family + "_target.txt")).trim());
        org.xai4j.engine.Objective objective = org.xai4j.engine.Objective.classLogit(target);
        try (Nd4jImageModel model = Nd4jImageModel.of(Preprocessing.meanStd(TorchvisionFixturesTest.MEAN, TorchvisionFixturesTest.STD).prependTo(onnx.spec()))) {
            INDArray ig = org.xai4j.attribution.IntegratedGradients.builder().setModel(model).optSteps(16)
                    .optRule(org.xai4j.attribution.IntegrationRule.GAUSS_LEGENDRE).optInternalBatchSize(8)
                    .optBaselines(org.xai4j.attribution.Baseline.zero()).build().attribute(x, objective).values();
            double igL2 = org.xai4j.testing.NdAssertions.relativeL2(ig.castTo(DataType.DOUBLE),
                    npy(folder, family + "_ig_gl.npy"));
            INDArray saliency = org.xai4j.attribution.Saliency.builder().setModel(model).optAbsolute(false).build()
                    .attribute(x, objective).values();
            double saliencyL2 = org.xai4j.testing.NdAssertions.relativeL2(saliency.castTo(DataType.DOUBLE),
                    npy(folder, family + "_saliency.npy"));
            String layer = LayerSelectors.lastSpatialLayerBeforeGlobalPooling(model);
            if (family.startsWith("densenet")) {
                layer = model.layerInfo(layer).inputs().get(0);
            }
            INDArray reference = npy(folder, family + "_gradcam.npy");
            INDArray raw = org.xai4j.activation.GradCam.builder().setModel(model).optLayer(layer).optRelu(false).build()
                    .map(x, objective).raw().reshape(reference.shape());
            double camDiff = TorchvisionFixturesTest.assertRelativeToMax(TorchvisionFixturesTest.minMax(raw),
                    TorchvisionFixturesTest.minMax(reference), 1e-2, family + " Grad-CAM");
            System.out.println("captum " + family + " opset " + onnx.opset() + ": IG relative L2 " + igL2
                    + ", saliency relative L2 " + saliencyL2 + ", Grad-CAM max diff after min-max " + camDiff
                    + " at " + layer);
            assertThat(igL2).as(family + " IG relative L2").isLessThan(1e-2);
            assertThat(saliencyL2).as(family + " saliency relative L2").isLessThan(1e-2);
        }
    }

    static INDArray npy(Path folder, String name) {
        return Nd4j.createFromNpyFile(folder.resolve(name).toFile()).castTo(DataType.DOUBLE);
    }
}
