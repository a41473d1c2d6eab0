package org.xai4j.bench;

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
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.explainers.Explainer;
import org.xai4j.explainers.Explanation;
import org.xai4j.explainers.ExplanationMethod;
import org.xai4j.explainers.MethodOption;

import java.util.concurrent.TimeUnit;

/**
 * Every method of the method table ({@link ExplanationMethod}) end to end, as applications call it: an
 * {@link Explainer} with the table's defaults, {@link Explainer#run} on a seeded random batch, target class 3 (for
 * {@code activations}: channel 3 of the layer), layer methods on {@code block5_conv3}, the last convolution of both
 * models. Maps are raw (the table's methods do not normalize). Scores are per call (one batch); divide by
 * {@code batch} for per-image figures.
 *
 * <p>Two benchmarks, by cost. {@link #explain} takes the methods that are one forward and at most one backward pass
 * (CAMs, saliency, input times gradient, FullGrad, activations) on VGG16 and the mini-VGG, batches of 1 and 8.
 * {@link #explainMany} takes the methods that make tens to hundreds of model passes per image (one per channel,
 * window, feature coalition, sample or integration step) on the mini-VGG and one image; on VGG16 a call takes seconds
 * to minutes (pass {@code -p model=vgg16} to measure it anyway). {@code ExplainerBenchmarkTest} checks that the two
 * lists together name every method of the table once. The perturbation methods with SLIC features, the occlusion
 * speed case on VGG16 and the integration rules of integrated gradients have their own benchmarks
 * ({@link PerturbationMethodsBenchmark}, {@link OcclusionBenchmark}, {@link IntegratedGradientsBenchmark}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-Dorg.bytedeco.javacpp.maxbytes=16G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=20G"})
public class ExplainerBenchmark {

    /** The mapped layer of the layer methods: the last convolution of both models. */
    static final String LAYER = "block5_conv3";

    /**
     * A model, a configured explainer and a seeded batch, built once per trial from the state's parameters. Annotated
     * as a state because JMH accepts {@code @TearDown} only in state classes and their subclasses.
     */
    @State(Scope.Benchmark)
    public abstract static class Workload {
        private Nd4jImageModel network;
        private Explainer explainer;
        private INDArray input;

        /**
         * Builds the random-weight model, the explainer and a seeded random batch; each state's trial set-up calls it
         * with its parameters.
         *
         * @param method the method's table name ({@link ExplanationMethod#fromId})
         * @param model  {@code vgg16} (224x224, 138M weights) or {@code mini-vgg} (64x64, the toy models' shape)
         * @param batch  images per call
         */
        void prepare(String method, String model, int batch) {
            network = Nd4jImageModel.of("vgg16".equals(model) ? RandomVgg.vgg16(1) : RandomVgg.miniVgg(1));
            ExplanationMethod m = ExplanationMethod.fromId(method);
            Explainer.Builder builder = Explainer.builder().setMethod(m);
            if (m.takes(MethodOption.LAYER)) {
                builder.optLayer(LAYER);
            }
            explainer = builder.build();
            long[] shape = network.inputShape();
            input = SeededArrays.uniform(4, batch, shape[0], shape[1], shape[2]);
        }

        /** Frees the model's native memory. */
        @TearDown(Level.Trial)
        public void tearDown() {
            network.close();
        }

        /** Explains the batch, target 3. */
        Explanation run() {
            return explainer.run(network, input, 3);
        }
    }

    /** The methods of one or two passes per call. */
    @State(Scope.Benchmark)
    public static class OnePass extends Workload {
        /** The method's table name. */
        @Param({"gradcam", "gradcampp", "layercam", "hirescam", "gradcamelementwise", "xgradcam", "eigencam",
                "eigengradcam", "fullgrad", "saliency", "inputxgrad", "activations", "guidedbackprop", "deconvolution",
                "guidedgradcam", "deeplift", "deepliftshap", "lrp"})
        public String method;

        /** {@code vgg16} or {@code mini-vgg}. */
        @Param({"vgg16", "mini-vgg"})
        public String model;

        /** Images per call. */
        @Param({"1", "8"})
        public int batch;

        /** Builds the model, the explainer and the batch, once per trial. */
        @Setup(Level.Trial)
        public void setUp() {
            prepare(method, model, batch);
        }
    }

    /** The methods of many model passes per image. */
    @State(Scope.Benchmark)
    public static class ManyPasses extends Workload {
        /** The method's table name. */
        @Param({"scorecam", "ablationcam", "ig", "smoothgrad", "smoothgrad_sq", "vargrad", "gradientshap", "occlusion",
                "featureablation", "shapleysampling", "kernelshap", "lime"})
        public String method;

        /** {@code mini-vgg} by default; {@code vgg16} works but a call takes seconds to minutes. */
        @Param({"mini-vgg"})
        public String model;

        /** Images per call. */
        @Param({"1"})
        public int batch;

        /** Builds the model, the explainer and the batch, once per trial. */
        @Setup(Level.Trial)
        public void setUp() {
            prepare(method, model, batch);
        }
    }

    /**
     * Explains the batch with a method of one or two passes.
     *
     * @param workload the method, model and batch
     * @return the explanation (returned so JMH keeps the work alive)
     */
    @Benchmark
    @Warmup(iterations = 2, time = 5)
    @Measurement(iterations = 3, time = 10)
    public Explanation explain(OnePass workload) {
        return workload.run();
    }

    /**
     * Explains the image with a method of many passes.
     *
     * @param workload the method, model and batch
     * @return the explanation (returned so JMH keeps the work alive)
     */
    @Benchmark
    @Warmup(iterations = 1, time = 20)
    @Measurement(iterations = 3, time = 30)
    public Explanation explainMany(ManyPasses workload) {
        return workload.run();
    }
}
