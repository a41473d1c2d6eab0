package org.xai4j.bench;

import org.junit.jupiter.api.Test;
import org.xai4j.engine.LayerInfo;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.NetworkSpec;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RandomResNetTest {

    /**
     * Builds ResNet-50 and propagates shapes through its graph by the layer formulas: every sum adds equal shapes, every
     * convolution receives the channels its weights expect, and the classifier receives 2048 features. The counts are
     * torchvision's {@code resnet50}: 53 convolutions, 16 residual sums, 25,557,032 parameters.
     */
    @Test
    void resnet50HasTorchvisionsLayoutShapesAndParameterCount() {
        NetworkSpec spec = RandomResNet.resnet50(1);
        assertThat(spec.isChain()).isFalse();
        Map<String, long[]> shapes = new HashMap<>();
        shapes.put(LayerInfo.MODEL_INPUT, spec.inputShape());
        long parameters = 0;
        int convolutions = 0;
        int sums = 0;
        for (LayerSpec layer : spec.layers()) {
            List<String> inputs = spec.inputsOf(layer.name());
            long[] in = shapes.get(inputs.get(0));
            long[] out;
            if (layer instanceof LayerSpec.Convolution c) {
                assertThat(c.weights().size(1)).as(c.name()).isEqualTo(in[0]);
                long k = c.weights().size(2);
                out = new long[] {c.weights().size(0), (in[1] + 2L * c.padding()[0] - k) / c.stride()[0] + 1,
                        (in[2] + 2L * c.padding()[1] - k) / c.stride()[1] + 1};
                parameters += c.weights().length();
                convolutions++;
            } else if (layer instanceof LayerSpec.ChannelAffine a) {
                assertThat(a.scale().length()).as(a.name()).isEqualTo(in[0]);
                out = in;
                parameters += a.scale().length() + a.shift().length();
            } else if (layer instanceof LayerSpec.Pooling p) {
                out = new long[] {in[0], (in[1] + 2L * p.padding()[0] - p.kernel()[0]) / p.stride()[0] + 1,
                        (in[2] + 2L * p.padding()[1] - p.kernel()[1]) / p.stride()[1] + 1};
            } else if (layer instanceof LayerSpec.ElementWise) {
                assertThat(inputs).hasSize(2);
                assertThat(shapes.get(inputs.get(1))).as(layer.name()).containsExactly(in);
                out = in;
                sums++;
            } else if (layer instanceof LayerSpec.GlobalPooling) {
                out = new long[] {in[0]};
            } else if (layer instanceof LayerSpec.Dense d) {
                assertThat(d.weights().size(0)).isEqualTo(in[0]);
                out = new long[] {d.weights().size(1)};
                parameters += d.weights().length() + d.bias().length();
            } else {
                assertThat(layer).isInstanceOf(LayerSpec.Activation.class);
                out = in;
            }
            shapes.put(layer.name(), out);
        }
        assertThat(shapes.get("maxpool")).containsExactly(64, 56, 56);
        assertThat(shapes.get("layer1.2.relu")).containsExactly(256, 56, 56);
        assertThat(shapes.get("layer2.0.conv2")).containsExactly(128, 28, 28);
        assertThat(shapes.get("layer4.2.relu")).containsExactly(2048, 7, 7);
        assertThat(shapes.get("fc")).containsExactly(1000);
        assertThat(convolutions).isEqualTo(53);
        assertThat(sums).isEqualTo(16);
        assertThat(parameters).isEqualTo(25_557_032L);
        assertThat(spec.layers().get(spec.layers().size() - 1).name()).isEqualTo("fc");
        // Same seed, same weights; another seed, other weights.
        LayerSpec.Convolution a = (LayerSpec.Convolution) RandomResNet.resnet50(1).layers().get(0);
        LayerSpec.Convolution b = (LayerSpec.Convolution) spec.layers().get(0);
        LayerSpec.Convolution c = (LayerSpec.Convolution) RandomResNet.resnet50(2).layers().get(0);
        assertThat(a.weights()).isEqualTo(b.weights());
        assertThat(c.weights()).isNotEqualTo(b.weights());
        double std = b.weights().stdNumber().doubleValue();
        assertThat(std).as(Arrays.toString(b.weights().shape())).isBetween(0.9 * Math.sqrt(2.0 / 147), 1.1 * Math.sqrt(2.0 / 147));
    }
}
