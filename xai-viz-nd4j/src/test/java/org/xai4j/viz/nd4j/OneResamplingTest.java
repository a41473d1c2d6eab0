package org.xai4j.viz.nd4j;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.activation.Heatmaps;
import org.xai4j.testing.TestNetworks;
import org.xai4j.viz.transform.PixelAlignment;
import org.xai4j.viz.transform.Resampling;

import java.util.Random;

import static org.xai4j.testing.NdAssertions.assertAllClose;

/**
 * xai-core resizes class activation maps ({@link Heatmaps}) and xai-viz resizes images and maps for display
 * ({@link Resampling}); neither module may depend on the other, so both carry PIL's bilinear filter, and this test, in
 * the one module that sees both, keeps them one filter: up, down and mixed.
 */
class OneResamplingTest {

    @ParameterizedTest(name = "{0}x{1} -> {2}x{3}")
    @CsvSource({"7, 7, 224, 224", "14, 14, 16, 16", "16, 16, 7, 7", "5, 9, 13, 4", "1, 1, 3, 5", "64, 34, 64, 34"})
    void coreAndVizResizeAlike(int h, int w, int height, int width) {
        INDArray maps = TestNetworks.uniform(new Random(h * 31L + w), -1, 1, 2, 3, h, w);
        INDArray core = Heatmaps.upsample(maps, height, width);
        float[] viz = Resampling.resizePlanes(maps.castTo(DataType.FLOAT).dup('c').data().asFloat(), 2 * 3, h, w,
                height, width, PixelAlignment.HALF_PIXEL);
        INDArray expected = org.nd4j.linalg.factory.Nd4j.create(viz, new long[] {2, 3, height, width}, 'c');
        assertAllClose(core, expected, 1e-5, 1e-6);
    }
}
