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
import org.openjdk.jmh.annotations.Warmup;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.engine.Nd4jImageModel;

import java.util.concurrent.TimeUnit;

/** Integrated gradients end to end on one image: Captum's common setting and the library default. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-Dorg.bytedeco.javacpp.maxbytes=16G",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=20G"})
public class IntegratedGradientsBenchmark {

    /** {@code vgg16} (224x224, 138M weights) or {@code mini-vgg} (64x64, the toy models' shape). */
    @Param({"vgg16", "mini-vgg"})
    public String model;

    /** {@code riemann32}: 32 trapezoid steps, internal batch 16 (as the Captum reference); {@code gl50}: the default. */
    @Param({"riemann32", "gl50"})
    public String setting;

    private IntegratedGradients method;
    private INDArray input;

    /** Builds the random-weight model, the integrated-gradients explainer for the setting and one seeded random image. */
    @Setup(Level.Trial)
    public void setUp() {
        Nd4jImageModel network = Nd4jImageModel.of("vgg16".equals(model) ? RandomVgg.vgg16(1) : RandomVgg.miniVgg(1));
        boolean riemann = "riemann32".equals(setting);
        method = IntegratedGradients.builder().setModel(network)
                .optRule(riemann ? IntegrationRule.RIEMANN_TRAPEZOID : IntegrationRule.GAUSS_LEGENDRE)
                .optSteps(riemann ? 32 : 50).optInternalBatchSize(16).build();
        long[] shape = network.inputShape();
        input = SeededArrays.uniform(3, 1, shape[0], shape[1], shape[2]);
    }

    /**
     * Attributes the class-3 logit of the image against the default zero baseline.
     *
     * @return the attribution (returned so JMH keeps the work alive)
     */
    @Benchmark
    public Attribution integratedGradients() {
        return method.attribute(input, 3);
    }
}
