package org.xai4j.engine;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.testing.TestNetworks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.xai4j.testing.NdAssertions.assertAllClose;

/** One model used from several threads gives the same results as sequential calls. */
class ConcurrencyTest {

    @Test
    void concurrentCallsEqualSequentialCalls() throws Exception {
        Nd4jImageModel model = Nd4jImageModel.of(TestNetworks.vggStyle(71));
        int calls = 24;
        List<INDArray> inputs = new ArrayList<>();
        List<INDArray> expectedGradients = new ArrayList<>();
        List<INDArray> expectedActivations = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            INDArray x = TestNetworks.randomImages(100 + i, DataType.FLOAT, 2, 3, 16, 16);
            inputs.add(x);
            expectedGradients.add(model.gradient(x, Objective.classLogit(i % 5)).inputGradient());
            expectedActivations.add(model.activations(x, "block2_conv1"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<INDArray[]>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                int call = i;
                futures.add(pool.submit(() -> new INDArray[] {
                        model.gradient(inputs.get(call), Objective.classLogit(call % 5)).inputGradient(),
                        model.activations(inputs.get(call), "block2_conv1")}));
            }
            for (int i = 0; i < calls; i++) {
                INDArray[] result = futures.get(i).get();
                assertAllClose(result[0], expectedGradients.get(i), 0, 0);
                assertAllClose(result[1], expectedActivations.get(i), 0, 0);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
