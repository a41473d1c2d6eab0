package org.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.xai4j.cli.CliRunner.run;

import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import com.fasterxml.jackson.databind.JsonNode;
import org.xai4j.io.Npy;
import org.xai4j.models.ImageClassifier;
import org.xai4j.models.ImageClassifierLoader;

/** {@code xai4j compare}: FaceVGG and EmotionVGG at their last conv layer, as the study compares them. */
class CompareCommandTest {

    @TempDir
    Path tmp;

    @Test
    void spikeCorrelationsMatchTheModelsOwnActivations() throws Exception {
        Path face = CliRunner.toyFace(tmp);
        CliRunner.Result r = run("compare", "--model", "toy:face", "--model", "toy:emotion", "--image",
                face.toString(), "--out", tmp.resolve("c").toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode json = r.json();
        assertThat(json.path("models").toString()).isEqualTo("[\"FaceVGG\",\"EmotionVGG\"]");
        assertThat(json.path("layer").asText()).isEqualTo("block5_conv3");
        double[][] spikes = new double[2][];
        String[] sources = {"toy:face", "toy:emotion"};
        for (int m = 0; m < 2; m++) {
            try (ImageClassifier c = ImageClassifierLoader.builder().setSource(sources[m]).build().load()) {
                spikes[m] = c.model().activations(c.toInput(c.readImage(face)), "block5_conv3").sum(2, 3)
                        .toDoubleVector();
            }
        }
        INDArray written = Npy.read(Path.of(json.path("npy").asText()));
        assertThat(written.shape()).containsExactly(2, 64);
        for (int m = 0; m < 2; m++) {
            for (int c = 0; c < 64; c++) {
                assertThat(written.getDouble(m, c)).isCloseTo(spikes[m][c], within(1e-3 + 1e-5 * Math.abs(spikes[m][c])));
            }
        }
        double pearson = pearson(spikes[0], spikes[1]);
        assertThat(json.path("pearson").get(0).get(1).asDouble()).isCloseTo(pearson, within(1e-6));
        assertThat(json.path("pearson").get(0).get(0).asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(json.path("spearman").get(1).get(0).asDouble()).isBetween(-1.0, 1.0);
        JsonNode changes = json.path("largestRankChanges");
        assertThat(changes).hasSize(10);
        int first = Math.abs(changes.get(0).path("rank").asInt() - changes.get(0).path("referenceRank").asInt());
        int last = Math.abs(changes.get(9).path("rank").asInt() - changes.get(9).path("referenceRank").asInt());
        assertThat(first).isGreaterThanOrEqualTo(last);
        assertThat(ImageIO.read(Path.of(json.path("spikes").asText()).toFile())).isNotNull();
        assertThat(ImageIO.read(Path.of(json.path("topMaps").asText()).toFile())).isNotNull();
    }

    @Test
    void needsTwoModelsOfOneArchitecture() throws IOException {
        Path face = CliRunner.toyFace(tmp);
        assertThat(run("compare", "--model", "toy:face", "--image", face.toString())
                .assertUsageError("compare").err()).contains("at least two models");
        assertThat(run("compare", "--model", "toy:face", "--model", CliRunner.miniResNet().toString(), "--image",
                face.toString(), "--out", tmp.resolve("x").toString()).assertUsageError("compare").err())
                .contains("takes input").contains("one architecture");
        assertThat(tmp.resolve("x")).doesNotExist();
        assertThat(run("compare", "--help").out()).contains("Usage: xai4j compare", "--model", "--layer");
    }

    private static double pearson(double[] a, double[] b) {
        double ma = java.util.Arrays.stream(a).average().orElseThrow();
        double mb = java.util.Arrays.stream(b).average().orElseThrow();
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
