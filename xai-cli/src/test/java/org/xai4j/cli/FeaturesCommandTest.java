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
import com.fasterxml.jackson.databind.JsonNode;
import org.xai4j.features.ActivationMaximization;
import org.xai4j.features.FeatureVisualization;
import org.xai4j.io.Npy;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.toy.ToyModels;

/** {@code xai4j features}: activation maximization of a toy model's channels. */
class FeaturesCommandTest {

    @TempDir
    Path tmp;

    @Test
    void writesTheGridAndTheLibrarysImages() throws IOException {
        CliRunner.Result r = run("features", "--model", "toy:object", "--layer", "block3_conv3", "--channels", "0,5-6",
                "--steps", "3", "--out", tmp.resolve("f").toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = r.json();
        assertThat(json.path("model").asText()).isEqualTo("ObjectVGG");
        assertThat(json.path("layer").asText()).isEqualTo("block3_conv3");
        assertThat(json.path("channels").toString()).isEqualTo("[0,5,6]");
        assertThat(json.path("shape").toString()).isEqualTo("[3,64,64,3]");
        assertThat(json.path("finalObjective")).hasSize(3);
        assertThat(json.path("steps").asInt()).isEqualTo(3);
        FeatureVisualization expected;
        ImageClassifier object = ToyModels.objectVgg();
        try {
            expected = ActivationMaximization.builder().setModel(object.model()).optSteps(3).optSeed(0).optJitter(4)
                    .build().visualizeChannels("block3_conv3", 0, 5, 6);
        } finally {
            object.model().close();
        }
        assertAllClose(Npy.read(Path.of(json.path("npy").asText())),
                expected.images().permute(0, 2, 3, 1).castTo(DataType.FLOAT), 1e-5, 1e-6);
        for (int i = 0; i < 3; i++) {
            assertThat(json.path("finalObjective").get(i).asDouble()).isEqualTo(expected.finalValues()[i]);
        }
        assertThat(ImageIO.read(Path.of(json.path("grid").asText()).toFile()).getWidth()).isGreaterThan(3 * 96);
        assertThat(r.err()).contains("xai4j features: ActivationMaximization");
    }

    @Test
    void theDefaultLayerAndSpreadChannels() throws IOException {
        CliRunner.Result r = run("features", "--model", "toy:face", "--max-channels", "3", "--steps", "1", "--out",
                tmp.resolve("d").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.json().path("layer").asText()).isEqualTo("block5_conv3");
        assertThat(r.json().path("channels").toString()).isEqualTo("[0,21,42]");
    }

    @Test
    void badChannelsAndLayersAreUsageErrors() {
        assertThat(run("features", "--model", "toy:object", "--channels", "0,99", "--out", tmp.resolve("x").toString())
                .assertUsageError("features").err()).contains("--channels 99 is out of range").contains("0..63");
        assertThat(run("features", "--model", "toy:object", "--channels", "a-b").assertUsageError("features").err())
                .contains("--channels must be");
        assertThat(run("features", "--model", "toy:object", "--layer", "fc1").assertUsageError("features").err())
                .contains("unknown layer 'fc1'");
        assertThat(run("features", "--model", "toy:object", "--steps", "0").assertUsageError("features").err())
                .contains("--steps must be positive");
        // Without --steps the command uses the library's default; the help names it from the library's constant.
        assertThat(run("features", "--help").out()).contains("Usage: xai4j features", "--channels", "--layer",
                "default " + ActivationMaximization.DEFAULT_FOURIER_STEPS);
    }
}
