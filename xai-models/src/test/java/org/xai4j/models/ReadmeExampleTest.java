package org.xai4j.models;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.xai4j.attribution.Attribution;
import org.xai4j.attribution.IntegratedGradients;
import org.xai4j.engine.ImageModel;
import org.xai4j.engine.Objective;
import org.xai4j.models.dl4j.Dl4jNetworkConverter;
import org.xai4j.models.dl4j.Dl4jTestNetworks;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first example, kept compiling and correct. */
class ReadmeExampleTest {

    @Test
    void readmeExampleComputesIntegratedGradientsForOneImage() {
        MultiLayerNetwork net = Dl4jTestNetworks.vggStyle(1);
        // --- README example starts here ---
        ImageModel model = Dl4jNetworkConverter.convert(net, 3, 16, 16);   // any DL4J CNN; input [channels, height, width]
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 3, 16, 16);         // NCHW batch of one
        Attribution ig = IntegratedGradients.builder().setModel(model).build()
                .attribute(image, 2);                                       // explain class 2
        System.out.println(ig);  // Attribution[method=IntegratedGradients, shape=[1, 3, 16, 16], steps=50, ...]
        // --- README example ends here ---
        assertThat(ig.shape()).containsExactly(1, 3, 16, 16);
        assertThat(ig.steps()).isEqualTo(50);
        double outputDifference = Objective.classLogit(2).evaluate(model, image).getDouble(0)
                - Objective.classLogit(2).evaluate(model, image.mul(0)).getDouble(0);
        assertThat(Math.abs(ig.convergenceDelta()[0])).isLessThan(0.05 * Math.abs(outputDifference) + 1e-4);
    }
}
