package org.xai4j.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.engine.Objective;
import org.xai4j.engine.ObjectiveGradient;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ImageClassifierLoader;
import org.xai4j.models.Preprocessing;

/**
 * A torchvision classifier loaded from its {@code torch.onnx.export} file through the model registry, with
 * torchvision's ImageNet normalization: integrated gradients (32 Gauss-Legendre points, internal batch 16, one
 * 224x224 image) and forward plus input gradient per batch. The anchor is Captum / PyTorch on the same torchvision
 * model ({@code anchors.py onnx-resnet50}). Give the file with {@code -p file=/path/resnet50.onnx}, exported by
 * {@code xai-onnx/src/test/python/export_torchvision_full.py}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-Dorg.bytedeco.javacpp.maxbytes=16G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=20G"})
public class OnnxResNetBenchmark {

    /** The .onnx file (required: there is no default model file). */
    @Param({""})
    public String file;

    /** Images per gradient call. */
    @Param({"8", "16"})
    public int batch;

    private ImageClassifier classifier;
    private IntegratedGradients ig;
    private INDArray image;
    private INDArray batchInput;
    private Objective objective;

    /** Loads the model through the registry, once per trial. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (file.isEmpty()) {
            throw new IllegalArgumentException("give the model with -p file=/path/resnet50.onnx");
        }
        classifier = ImageClassifierLoader.builder().setSource(Path.of(file))
                .optPreprocessing(Preprocessing.IMAGENET).build().load();
        ig = IntegratedGradients.builder().setModel(classifier.model()).optSteps(32)
                .optRule(IntegrationRule.GAUSS_LEGENDRE).optInternalBatchSize(16).build();
        long[] shape = classifier.inputShape();
        image = SeededArrays.uniform(3, 1, shape[0], shape[1], shape[2]);
        batchInput = SeededArrays.uniform(2, batch, shape[0], shape[1], shape[2]);
        objective = Objective.classLogit(3);
    }

    /** Frees the model's native memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        classifier.close();
    }

    /**
     * Integrated gradients of the class-3 logit of one image.
     *
     * @return the attribution
     */
    @Benchmark
    public Attribution integratedGradients() {
        return ig.attribute(image, objective);
    }

    /**
     * Forward plus input gradient of the class-3 logit of a batch.
     *
     * @return the gradient
     */
    @Benchmark
    public ObjectiveGradient forwardAndInputGradient() {
        return classifier.model().gradient(batchInput, objective);
    }
}
