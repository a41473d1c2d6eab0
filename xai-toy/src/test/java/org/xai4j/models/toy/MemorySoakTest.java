package org.xai4j.models.toy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.attribution.IntegrationRule;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.testing.MemoryProbe;

/** Explaining with one model over and over must not leak: resident and heap memory stay flat after a warm-up. */
class MemorySoakTest {

    @Test
    void twoHundredIntegratedGradientsCallsOnAMiniVggKeepMemoryFlat() {
        ImageModel model = ToyModels.objectVgg().model();
        INDArray image = ToyModels.objectWorld().dataset(ToyModels.TEST_START, 1).features();
        IntegratedGradients ig = IntegratedGradients.builder().setModel(model).optSteps(8)
                .optRule(IntegrationRule.GAUSS_LEGENDRE).optInternalBatchSize(8).build();
        Objective objective = Objective.classLogit(0);
        for (int i = 0; i < 50; i++) {
            ig.attribute(image, objective);
        }
        long heapBefore = MemoryProbe.settledHeapBytes();
        long[] offHeap = new long[3];
        offHeap[0] = MemoryProbe.settledOffHeapBytes();
        Attribution first = ig.attribute(image, objective);
        Attribution last = first;
        for (int i = 1; i < 200; i++) {
            last = ig.attribute(image, objective);
            if (i == 99) {
                offHeap[1] = MemoryProbe.settledOffHeapBytes();
            }
        }
        offHeap[2] = MemoryProbe.settledOffHeapBytes();
        long heapGrowth = MemoryProbe.settledHeapBytes() - heapBefore;
        System.out.printf("MemorySoakTest: off-heap after warm-up, 100 and 200 calls: %s, %s, %s; heap growth %s%n",
                MemoryProbe.mib(offHeap[0]), MemoryProbe.mib(offHeap[1]), MemoryProbe.mib(offHeap[2]),
                MemoryProbe.mib(heapGrowth));
        // One call's activations, gradients and workspace are about 5 MiB, so leaking any of them per call would add
        // up to a gigabyte over 200 calls. Below that, resident memory moves by tens of MiB with the allocator's
        // retention of freed buffers, so the bound is set above that noise, and the second 100 calls must add
        // less than the first.
        long growth = offHeap[2] - offHeap[0];
        assertThat(growth).as("off-heap growth over 200 calls: %s", MemoryProbe.mib(growth)).isLessThan(64L << 20);
        assertThat(offHeap[2] - offHeap[1]).as("off-heap growth over the second 100 calls: %s",
                MemoryProbe.mib(offHeap[2] - offHeap[1])).isLessThan(32L << 20);
        assertThat(heapGrowth).as("heap growth over 200 calls: %s", MemoryProbe.mib(heapGrowth))
                .isLessThan(16L << 20);
        assertThat(last.values()).as("the 200th call gives the first call's result").isEqualTo(first.values());
    }
}
