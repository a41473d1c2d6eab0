package org.xai4j.onnx;

import java.util.Arrays;
import java.util.List;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.ModelProvider;
import org.xai4j.models.ModelSettings;
import org.xai4j.models.Preprocessing;

/**
 * ONNX files ({@code .onnx}) as a model source: the graph imported into the engine ({@link OnnxModels#read}), the
 * preprocessing (default {@link Preprocessing#UNIT}; {@code imagenet} for torchvision's normalization, or any mean and
 * std) prepended, so the model takes [0, 1] RGB pixels like every xai4j model. Found by the model-provider registry
 * through {@code META-INF/services}, so {@code --model net.onnx} works in every command, the study and Spark.
 *
 * <p>The input shape is the graph's; a graph exported with symbolic height and width takes the settings' input shape.
 */
public final class OnnxProvider implements ModelProvider {

    @Override public String name() {
        return "ONNX file";
    }

    @Override public List<String> extensions() {
        return List.of(".onnx");
    }

    @Override public void validate(ModelSettings settings) {
        long[] shape = settings.inputShape();
        if (shape != null && shape[0] != 3 && settings.preprocessing() != null
                && settings.preprocessing() != Preprocessing.NONE && settings.preprocessing() != Preprocessing.UNIT) {
            throw new IllegalArgumentException(settings.preprocessing() + " preprocessing needs 3 RGB channels, got "
                    + "input shape " + Arrays.toString(shape));
        }
    }

    @Override public ImageClassifier load(ModelSettings settings) throws ModelLoadException {
        OnnxImportOptions.Builder options = OnnxImportOptions.builder();
        long[] shape = settings.inputShape();
        if (shape != null) {
            options.optInputSize((int) shape[1], (int) shape[2]);
        }
        OnnxModel onnx;
        try {
            onnx = OnnxModels.read(settings.sourceFile(), options.build());
        } catch (OnnxImportException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        if (shape != null && !Arrays.equals(shape, onnx.inputShape())) {
            throw new ModelLoadException(settings.source() + ": the graph takes input " + Arrays.toString(
                    onnx.inputShape()) + ", not " + Arrays.toString(shape));
        }
        Preprocessing pre = settings.preprocessing() == null ? Preprocessing.UNIT : settings.preprocessing();
        Nd4jImageModel model;
        try {
            model = Nd4jImageModel.of(pre.prependTo(onnx.spec()));
        } catch (RuntimeException e) {
            throw new ModelLoadException(settings.source() + ": cannot use the graph with " + pre + " preprocessing: "
                    + e.getMessage(), e);
        }
        return ImageClassifier.withLabels(settings.sourceFile().getFileName().toString(), model, settings.labels(),
                pre);
    }

    @Override public String toString() {
        return name();
    }
}
