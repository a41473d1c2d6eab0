package org.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xai4j.cli.CliRunner.run;
import static org.xai4j.testing.NdAssertions.assertAllClose;

import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import com.fasterxml.jackson.databind.JsonNode;
import org.xai4j.io.Npy;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ImageClassifierLoader;

/** {@code xai4j activations}: the raw maps and spike totals of a layer, against the model's own activations. */
class ActivationsCommandTest {

    @TempDir
    Path tmp;

    @Test
    void writesTheRawActivationsAndTheSpikeTotals() throws Exception {
        Path face = CliRunner.toyFace(tmp);
        CliRunner.Result r = run("activations", "--model", "toy:face", "--image", face.toString(), "--layer",
                "block4_conv3", "--top", "3", "--out", tmp.resolve("a").toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = r.json();
        assertThat(json.path("layer").asText()).isEqualTo("block4_conv3");
        assertThat(json.path("shape").toString()).isEqualTo("[48,8,8]");
        INDArray expected;
        try (ImageClassifier c = ImageClassifierLoader.builder().setSource("toy:face").build().load()) {
            expected = c.model().activations(c.toInput(c.readImage(face)), "block4_conv3")
                    .get(NDArrayIndex.point(0)).castTo(DataType.FLOAT);
            assertThat(json.path("prediction").path("label").asText())
                    .isEqualTo(c.label(c.predict(c.toInput(c.readImage(face)))[0]));
        }
        INDArray maps = Npy.read(Path.of(json.path("npy").asText()));
        assertAllClose(maps, expected, 1e-6, 1e-7);
        INDArray spikes = Npy.read(Path.of(json.path("spikesNpy").asText()));
        assertAllClose(spikes, expected.sum(1, 2), 1e-5, 1e-5);
        // the top neurons, largest spike first, with their spike totals
        JsonNode top = json.path("topNeurons");
        assertThat(top).hasSize(3);
        double max = spikes.maxNumber().doubleValue();
        assertThat(top.get(0).path("spike").asDouble()).isCloseTo(max, org.assertj.core.api.Assertions.within(1e-3));
        for (int i = 0; i < 3; i++) {
            int n = top.get(i).path("neuron").asInt();
            assertThat(top.get(i).path("spike").asDouble()).isCloseTo(spikes.getDouble(n),
                    org.assertj.core.api.Assertions.within(1e-3));
            if (i > 0) {
                assertThat(top.get(i).path("spike").asDouble()).isLessThanOrEqualTo(top.get(i - 1).path("spike")
                        .asDouble());
            }
        }
        for (String png : new String[] {"maps", "spikes", "topMap"}) {
            assertThat(ImageIO.read(Path.of(json.path(png).asText()).toFile())).as(png).isNotNull();
        }
    }

    @Test
    void refusesATopOutOfRangeAndAnUnknownLayer() throws IOException {
        Path face = CliRunner.toyFace(tmp);
        assertThat(run("activations", "--model", "toy:face", "--image", face.toString(), "--top", "0", "--out",
                tmp.resolve("x").toString()).assertUsageError("activations").err()).contains("--top 0 is out of range");
        assertThat(run("activations", "--model", "toy:face", "--image", face.toString(), "--layer", "nope")
                .assertUsageError("activations").err()).contains("unknown layer 'nope'");
        assertThat(tmp.resolve("x")).doesNotExist();
        assertThat(run("activations", "--help").out()).contains("Usage: xai4j activations", "--top");
    }
}
