package org.xai4j.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.engine.ActivationFunction;
import org.xai4j.engine.InsufficientMemoryException;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.Nd4jImageModel;
import org.xai4j.engine.NetworkSpec;
import org.xai4j.engine.Objective;

/**
 * A batch too large for the machine is refused up front with advice, and the model stays usable. Here rather than in
 * xai-engine because it also checks that Integrated Gradients passes the refusal and its advice on.
 */
class MemoryLimitsTest {

    /** A 1x1 convolution to 4096 channels: 64 MiB of activations per 64x64 input from 48 KiB of pixels. */
    private static Nd4jImageModel wideModel() {
        Nd4j.getRandom().setSeed(5);
        int channels = 4096;
        return Nd4jImageModel.of(new NetworkSpec("wide", new long[] {3, 64, 64}, List.of(
                new LayerSpec.Convolution("wide_conv", Nd4j.randn(DataType.FLOAT, channels, 3, 1, 1).muli(0.1), null,
                        new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, false, ActivationFunction.RELU, 0),
                new LayerSpec.GlobalPooling("pool", LayerSpec.PoolingType.AVG),
                new LayerSpec.Dense("logits", Nd4j.randn(DataType.FLOAT, channels, 2).muli(0.01), null,
                        ActivationFunction.IDENTITY, 0))));
    }

    @Test
    void aBatchBeyondTheAvailableMemoryIsRefusedBeforeAnyWork() {
        Nd4jImageModel model = wideModel();
        long perInput = model.bytesPerExample(true);
        assertThat(perInput).as("forward values plus gradients of [3,64,64] + 2x[4096,64,64] + 4096 + 2 floats")
                .isEqualTo(2L * 4 * (3 * 64 * 64 + 2L * 4096 * 64 * 64 + 4096 + 2));
        long forwardPerInput = model.bytesPerExample(false);
        assertThat(forwardPerInput).isEqualTo(perInput / 2);
        // Beyond the memory of a forward pass, so beyond a gradient's too.
        int batch = (int) Math.min(32_768, Pointer.availablePhysicalBytes() / forwardPerInput + 64);
        INDArray huge = Nd4j.rand(DataType.FLOAT, batch, 3, 64, 64);
        assertThatThrownBy(() -> model.gradient(huge, Objective.classLogit(0)))
                .isInstanceOf(InsufficientMemoryException.class)
                .hasMessageContaining("batch of " + batch + " inputs of shape [3, 64, 64]")
                .hasMessageContaining("smaller optInternalBatchSize")
                .hasMessageContaining("available")
                .satisfies(e -> assertThat(((InsufficientMemoryException) e).requiredBytes())
                        .isGreaterThan(((InsufficientMemoryException) e).availableBytes()));
        assertThatThrownBy(() -> model.logits(huge)).isInstanceOf(InsufficientMemoryException.class)
                .hasMessageContaining("the forward pass of a batch of " + batch);

        IntegratedGradients ig = IntegratedGradients.builder().setModel(model).optSteps(batch)
                .optInternalBatchSize(batch).build();
        assertThatThrownBy(() -> ig.attribute(huge.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)),
                Objective.classLogit(1))).isInstanceOf(InsufficientMemoryException.class)
                .hasMessageContaining("optInternalBatchSize");

        INDArray one = huge.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)).dup();
        assertThat(model.gradient(one, Objective.classLogit(0)).inputGradient().shape())
                .containsExactly(1, 3, 64, 64);
    }
}
