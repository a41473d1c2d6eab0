package org.xai4j.faceapi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.xai4j.engine.LayerSpec;
import org.xai4j.engine.NetworkSpec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TfjsWeightsTest {

    @TempDir Path dir;

    @Test
    void readsFloat32AndDequantizesUint8AndUint16AcrossShards() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(2 * 4 + 3 + 2 * 2 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(1.5f).putFloat(-2.25f);
        b.put((byte) 0).put((byte) 128).put((byte) 255);
        b.putShort((short) 0).putShort((short) 65535);
        b.putInt(-7);
        byte[] all = b.array();
        // split across two shards in the middle of a tensor: TF.js concatenates the shards first
        Files.write(dir.resolve("m.bin"), java.util.Arrays.copyOfRange(all, 0, 9));
        Files.write(dir.resolve("m2.bin"), java.util.Arrays.copyOfRange(all, 9, all.length));
        Files.writeString(dir.resolve("m.json"), """
                [{"paths": ["m.bin", "m2.bin"], "weights": [
                  {"name": "a/filters", "shape": [1, 2], "dtype": "float32"},
                  {"name": "b", "shape": [3], "dtype": "float32",
                   "quantization": {"dtype": "uint8", "min": -1.0, "scale": 0.01}},
                  {"name": "c", "shape": [2], "dtype": "float32",
                   "quantization": {"dtype": "uint16", "min": 0.5, "scale": 0.001}},
                  {"name": "d", "shape": [], "dtype": "int32"}]}]
                """, StandardCharsets.UTF_8);
        TfjsWeights w = TfjsWeights.read(dir.resolve("m.json"));
        assertThat(w.names()).containsExactly("a/filters", "b", "c", "d");
        assertThat(w.get("a/filters").shape()).containsExactly(1, 2);
        assertThat(w.get("a/filters").toFloatVector()).containsExactly(1.5f, -2.25f);
        // min + scale * q, rounded to float32 once (as TF.js's Float32Array)
        assertThat(w.get("b").toFloatVector()).containsExactly((float) -1.0, (float) (-1.0 + 0.01 * 128),
                (float) (-1.0 + 0.01 * 255));
        assertThat(w.get("c").toFloatVector()).containsExactly(0.5f, (float) (0.5 + 0.001 * 65535));
        assertThat(w.get("d").getDouble(0)).isEqualTo(-7);
        assertThat(w.parameterCount()).isEqualTo(8);
        assertThatThrownBy(() -> w.get("nope")).hasMessageContaining("no weight named 'nope'")
                .hasMessageContaining("a/filters");
    }

    @Test
    void malformedManifestsNameTheProblem() throws IOException {
        Files.write(dir.resolve("s.bin"), new byte[3]);
        Files.writeString(dir.resolve("short.json"), """
                [{"paths": ["s.bin"], "weights": [{"name": "x", "shape": [1], "dtype": "float32"}]}]""");
        assertThatThrownBy(() -> TfjsWeights.read(dir.resolve("short.json")))
                .isInstanceOf(IOException.class).hasMessageContaining("weight 'x'").hasMessageContaining("needs 4 bytes");
        Files.writeString(dir.resolve("long.json"), """
                [{"paths": ["s.bin"], "weights": [{"name": "x", "shape": [2], "dtype": "float32",
                  "quantization": {"dtype": "uint8", "min": 0, "scale": 1}}]}]""");
        assertThatThrownBy(() -> TfjsWeights.read(dir.resolve("long.json")))
                .isInstanceOf(IOException.class).hasMessageContaining("describes 2 bytes but its shards hold 3");
        Files.writeString(dir.resolve("f16.json"), """
                [{"paths": ["s.bin"], "weights": [{"name": "x", "shape": [1], "dtype": "float32",
                  "quantization": {"dtype": "float16"}}]}]""");
        assertThatThrownBy(() -> TfjsWeights.read(dir.resolve("f16.json")))
                .isInstanceOf(IOException.class).hasMessageContaining("quantized as 'float16'");
        Files.writeString(dir.resolve("bad.json"), "{\"not\": \"an array\"}");
        assertThatThrownBy(() -> TfjsWeights.read(dir.resolve("bad.json")))
                .isInstanceOf(IOException.class).hasMessageContaining("bad.json");
        Files.writeString(dir.resolve("missing.json"), """
                [{"paths": ["absent.bin"], "weights": []}]""");
        assertThatThrownBy(() -> TfjsWeights.read(dir.resolve("missing.json"))).isInstanceOf(IOException.class);
    }

    /** Every tensor of every shipped manifest ends up in its network, none twice (the preprocessing adds 6 values). */
    @Test
    void everyManifestTensorIsUsedExactlyOnce() {
        check("face_expression_model", w -> FaceApiNetworks.featureExtractorWithHead("e", w, 7));
        check("face_landmark_68_model", w -> FaceApiNetworks.featureExtractorWithHead("l", w, 136));
        check("face_recognition_model", w -> FaceApiNetworks.recognition("r", w));
        check("age_gender_model", w -> FaceApiNetworks.ageGender("a", w));
        check("tiny_face_detector_model", w -> FaceApiNetworks.tinyFaceDetector("d", w, 416));
    }

    private static void check(String model, java.util.function.Function<TfjsWeights, NetworkSpec> build) {
        TfjsWeights w = FaceApiModels.weights(model);
        NetworkSpec spec = build.apply(w);
        long used = 0;
        Set<String> names = new HashSet<>();
        for (LayerSpec layer : spec.layers()) {
            assertThat(names.add(layer.name())).isTrue();
            for (INDArray a : arrays(layer)) {
                used += a.length();
            }
        }
        assertThat(used - 6).as(model).isEqualTo(w.parameterCount());
        // names come from the manifest: every weight prefix names a layer
        for (String tensor : w.names()) {
            String prefix = tensor.substring(0, tensor.lastIndexOf('/') < 0 ? tensor.length() : tensor.lastIndexOf('/'));
            String layer = prefix.endsWith("/conv") || prefix.endsWith("/scale") ? prefix.substring(0, prefix.lastIndexOf('/'))
                    : prefix;
            assertThat(names).as(model + ": layer for " + tensor).contains(tensor.equals("fc") ? "fc" : layer);
        }
    }

    private static List<INDArray> arrays(LayerSpec layer) {
        if (layer instanceof LayerSpec.Convolution c) {
            return c.bias() == null ? List.of(c.weights()) : List.of(c.weights(), c.bias());
        } else if (layer instanceof LayerSpec.DepthwiseConvolution d) {
            return d.bias() == null ? List.of(d.weights()) : List.of(d.weights(), d.bias());
        } else if (layer instanceof LayerSpec.Dense d) {
            return d.bias() == null ? List.of(d.weights()) : List.of(d.weights(), d.bias());
        } else if (layer instanceof LayerSpec.ChannelAffine a) {
            return List.of(a.scale(), a.shift());
        }
        return List.of();
    }
}
