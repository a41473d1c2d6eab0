package org.xai4j.faceapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.xai4j.viz.RgbImage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** face-api's recorded outputs ({@code src/test/node/make_reference.js}) and the fixture photographs. */
final class FaceApiReference {

    static final JsonNode ROOT = load();

    private FaceApiReference() { }

    private static JsonNode load() {
        try (InputStream in = FaceApiReference.class.getResourceAsStream("/org/xai4j/faceapi/reference.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RgbImage photo(String name) {
        return FaceApiPhotos.read(name);
    }

    /** The test pattern of make_reference.js at a network's input size (no resizing on either side). */
    static RgbImage pattern(int size) {
        float[] hwc = new float[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int k = (y * size + x) * 3;
                hwc[k] = ((x * 7 + y * 3) % 256) / 255f;
                hwc[k + 1] = ((x * 2 + y * 5 + 40) % 256) / 255f;
                hwc[k + 2] = Math.round(127.5 + 127.5 * Math.sin((x + 2 * y) / 9.0)) / 255f;
            }
        }
        return RgbImage.fromHwc(hwc, size, size);
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    static FaceBox box(JsonNode node) {
        return new FaceBox(node.get("x").asDouble(), node.get("y").asDouble(), node.get("width").asDouble(),
                node.get("height").asDouble());
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static double maxAbs(float[] a) {
        double max = 0;
        for (float v : a) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
