package org.xai4j.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Objective;
import org.xai4j.testing.MemoryProbe;

/** Integrated Gradients' memory is bounded by its internal batch: 1,000 steps on 224x224 need no more than 32. */
class LongPathMemoryTest {

    private static final long INPUT_BYTES = 3L * 224 * 224 * Float.BYTES;

    @Test
    void thousandStepsOn224PixelsStayWithinABoundSetByTheInternalBatch() {
        Nd4j.getRandom().setSeed(17);
        Nd4jImageModel model = Nd4jImageModel.of(new NetworkSpec("small224", new long[] {3, 224, 224}, List.of(
                new LayerSpec.Convolution("conv", Nd4j.randn(DataType.FLOAT, 4, 3, 3, 3).muli(0.2),
                        Nd4j.randn(DataType.FLOAT, 4).muli(0.1), new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1},
                        true, ActivationFunction.TANH, 0),
                new LayerSpec.GlobalPooling("pool", LayerSpec.PoolingType.AVG),
                new LayerSpec.Dense("logits", Nd4j.randn(DataType.FLOAT, 4, 3), null, ActivationFunction.IDENTITY,
                        0))));
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 3, 224, 224);
        int internalBatch = 16;
        IntegratedGradients.Builder builder = IntegratedGradients.builder().setModel(model)
                .optRule(IntegrationRule.RIEMANN_TRAPEZOID).optInternalBatchSize(internalBatch);
        Objective objective = Objective.classLogit(2);
        Attribution warmUp = builder.optSteps(32).build().attribute(image, objective);

        long before = MemoryProbe.settledBytes();
        Attribution attribution;
        long peak;
        try (MemoryProbe probe = MemoryProbe.start()) {
            attribution = builder.optSteps(1000).build().attribute(image, objective);
            peak = probe.peakBytes();
        }
        // All 1,000 points at once would be 1,000 inputs (574 MiB) for the points alone; one internal batch of
        // points, activations and gradients is a few tens of MiB.
        long bound = 8L * internalBatch * INPUT_BYTES;
        assertThat(peak - before).as("peak growth %s against a bound of %s (%d steps in batches of %d)",
                MemoryProbe.mib(peak - before), MemoryProbe.mib(bound), 1000, internalBatch).isLessThan(bound);
        assertThat(bound).isLessThan(1000 * INPUT_BYTES / 4);
        // Completeness holds to float rounding on both paths (the smooth model's integral converges by 32 steps).
        assertThat(attribution.shape()).containsExactly(1, 3, 224, 224);
        assertThat(Math.max(attribution.maxAbsDelta(), warmUp.maxAbsDelta())).isLessThan(1e-3);
    }
}
