package org.xai4j.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
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
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.attribution.PathKernels;

import java.util.concurrent.TimeUnit;

/**
 * The Riemann-sum kernels of integrated gradients in isolation, for one 224x224x3 example: building all
 * interpolation points of a rule in batches of 16, and accumulating as many quadrature-weighted gradients.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class RiemannSumBenchmark {

    private static final int BATCH = 16;
    private static final int ELEMENTS = 3 * 224 * 224;

    /** The quadrature rule whose nodes and weights are used. */
    @Param({"RIEMANN_LEFT", "RIEMANN_RIGHT", "RIEMANN_MIDDLE", "RIEMANN_TRAPEZOID", "GAUSS_LEGENDRE"})
    public IntegrationRule rule;

    /** Interpolation points of the rule, processed in chunks of 16. */
    @Param({"16", "32", "50", "128"})
    public int steps;

    private INDArray baseline;
    private INDArray difference;
    private INDArray points;
    private INDArray gradients;
    private INDArray accumulator;
    private INDArray[] alphaChunks;
    private INDArray[] weightChunks;

    /**
     * Draws a seeded random input difference and gradient batch, allocates the reused buffers and splits the rule's
     * nodes and weights into chunks of 16, once per trial.
     */
    @Setup(Level.Trial)
    public void setUp() {
        baseline = Nd4j.zeros(DataType.FLOAT, 1, ELEMENTS);
        difference = SeededArrays.uniform(1, 1, ELEMENTS);
        points = Nd4j.create(DataType.FLOAT, BATCH, ELEMENTS);
        gradients = SeededArrays.gaussian(new java.util.Random(2), 1, BATCH, ELEMENTS);
        accumulator = Nd4j.zeros(DataType.FLOAT, 1, ELEMENTS);
        IntegrationRule.Nodes nodes = rule.nodes(steps);
        int chunks = (steps + BATCH - 1) / BATCH;
        alphaChunks = new INDArray[chunks];
        weightChunks = new INDArray[chunks];
        for (int c = 0; c < chunks; c++) {
            int from = c * BATCH;
            int to = Math.min(steps, from + BATCH);
            alphaChunks[c] = Nd4j.create(java.util.Arrays.copyOfRange(nodes.alphas(), from, to), to - from, 1)
                    .castTo(DataType.FLOAT);
            weightChunks[c] = Nd4j.create(java.util.Arrays.copyOfRange(nodes.weights(), from, to), 1, to - from)
                    .castTo(DataType.FLOAT);
        }
    }

    /**
     * Builds every interpolation point {@code baseline + alpha * difference}, one chunk at a time, into a reused buffer.
     *
     * @return the buffer holding the last chunk (returned so JMH keeps the work alive)
     */
    @Benchmark
    public INDArray interpolationPoints() {
        for (INDArray alphas : alphaChunks) {
            PathKernels.interpolate(baseline, difference, alphas,
                    points.get(NDArrayIndex.interval(0, alphas.size(0)), NDArrayIndex.all()));
        }
        return points;
    }

    /**
     * Accumulates the quadrature-weighted gradient sum from zero, one chunk of weights at a time (every chunk reuses
     * the same random gradients).
     *
     * @return the accumulated sum (returned so JMH keeps the work alive)
     */
    @Benchmark
    public INDArray weightedGradientSum() {
        accumulator.assign(0);
        for (INDArray weights : weightChunks) {
            PathKernels.accumulate(gradients.get(NDArrayIndex.interval(0, weights.size(1)), NDArrayIndex.all()),
                    weights, accumulator);
        }
        return accumulator;
    }
}
