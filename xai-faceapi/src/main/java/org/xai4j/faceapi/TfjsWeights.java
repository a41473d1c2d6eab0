package org.xai4j.faceapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The tensors of a TensorFlow.js weights manifest ({@code *-weights_manifest.json}) and its binary shards, as
 * {@code tf.io.decodeWeights} reads them: the shards of each group are concatenated, and the tensors follow one another
 * in manifest order, little-endian. A quantized tensor ({@code quantization: {dtype: "uint8" | "uint16", min, scale}})
 * is stored as one unsigned integer per value and dequantized to {@code min + scale * q}; other tensors are stored as
 * {@code float32} or {@code int32}. Tensors keep their TensorFlow shapes (convolution filters
 * {@code [kH, kW, in, out]}); values are float32, as TensorFlow.js computes them.
 *
 * @param tensors the tensors by manifest name, in manifest order
 */
public record TfjsWeights(Map<String, INDArray> tensors) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Copies the map (the arrays themselves are shared). */
    public TfjsWeights {
        Objects.requireNonNull(tensors, "tensors must not be null");
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** How a reader finds a shard named by the manifest's {@code paths}. */
    @FunctionalInterface
    public interface ShardSource {
        /**
         * Opens a shard.
         *
         * @param path the path as written in the manifest, relative to the manifest
         * @return its bytes
         * @throws IOException if it cannot be read
         */
        InputStream open(String path) throws IOException;
    }

    /**
     * Reads a manifest and its shards from a folder.
     *
     * @param manifest the manifest file; the shards are looked up next to it
     * @return the tensors
     * @throws IOException if a file cannot be read or the manifest is malformed (the message names the file)
     */
    public static TfjsWeights read(Path manifest) throws IOException {
        Objects.requireNonNull(manifest, "manifest must not be null");
        Path folder = manifest.toAbsolutePath().getParent();
        try (InputStream in = Files.newInputStream(manifest)) {
            return read(in, manifest.toString(), p -> Files.newInputStream(folder.resolve(p)));
        }
    }

    /**
     * Reads a manifest and its shards from any source.
     *
     * @param manifest the manifest's JSON
     * @param label    a name for error messages (the file or resource)
     * @param shards   opens the shards the manifest names
     * @return the tensors
     * @throws IOException if a shard cannot be read or the manifest is malformed
     */
    public static TfjsWeights read(InputStream manifest, String label, ShardSource shards) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(manifest);
        } catch (IOException e) {
            throw new IOException("cannot parse the weights manifest " + label + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IOException("weights manifest " + label + " must be a JSON array of weight groups");
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (JsonNode group : root) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (JsonNode path : required(group, "paths", label)) {
                try (InputStream in = shards.open(path.asText())) {
                    if (in == null) {
                        throw new IOException("shard '" + path.asText() + "' of " + label + " not found");
                    }
                    in.transferTo(bytes);
                }
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode weight : required(group, "weights", label)) {
                String name = required(weight, "name", label).asText();
                long[] shape = shape(required(weight, "shape", label));
                out.put(name, decode(weight, name, shape, buffer, label));
            }
            if (buffer.hasRemaining()) {
                throw new IOException("weights manifest " + label + " describes " + buffer.position() + " bytes but its "
                        + "shards hold " + buffer.limit());
            }
        }
        return new TfjsWeights(out);
    }

    /**
     * One tensor.
     *
     * @param name the manifest name, e.g. {@code dense0/conv0/filters}
     * @return the tensor, in its TensorFlow shape
     * @throws IllegalArgumentException if there is no such tensor (the message lists the names)
     */
    public INDArray get(String name) {
        INDArray t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no weight named '" + name + "'; the manifest has " + tensors.keySet());
        }
        return t;
    }

    /** Whether a tensor of that name exists. */
    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** The tensor names, in manifest order. */
    public Set<String> names() {
        return tensors.keySet();
    }

    /** The total number of values of all tensors. */
    public long parameterCount() {
        return tensors.values().stream().mapToLong(INDArray::length).sum();
    }

    @Override public String toString() {
        return "TfjsWeights[" + tensors.size() + " tensors, " + parameterCount() + " values]";
    }

    private static INDArray decode(JsonNode weight, String name, long[] shape, ByteBuffer buffer, String label)
            throws IOException {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        String dtype = required(weight, "dtype", label).asText();
        JsonNode quantization = weight.get("quantization");
        float[] values = new float[Math.toIntExact(count)];
        if (quantization != null && !quantization.isNull()) {
            String qtype = required(quantization, "dtype", label).asText();
            int bytesPer = switch (qtype) {
                case "uint8" -> 1;
                case "uint16" -> 2;
                default -> throw new IOException("weight '" + name + "' of " + label + " is quantized as '" + qtype
                        + "'; supported are uint8 and uint16 (min + scale * q)");
            };
            if (!"float32".equals(dtype)) {
                throw new IOException("weight '" + name + "' of " + label + " is a quantized " + dtype
                        + "; only quantized float32 tensors are supported");
            }
            // TF.js computes q * scale + min in double precision and stores the result in a Float32Array.
            double min = required(quantization, "min", label).asDouble();
            double scale = required(quantization, "scale", label).asDouble();
            need(buffer, count * bytesPer, name, label);
            for (int i = 0; i < values.length; i++) {
                int q = bytesPer == 1 ? Byte.toUnsignedInt(buffer.get()) : Short.toUnsignedInt(buffer.getShort());
                values[i] = (float) (q * scale + min);
            }
        } else if ("float32".equals(dtype)) {
            need(buffer, count * 4, name, label);
            for (int i = 0; i < values.length; i++) {
                values[i] = buffer.getFloat();
            }
        } else if ("int32".equals(dtype)) {
            need(buffer, count * 4, name, label);
            for (int i = 0; i < values.length; i++) {
                values[i] = buffer.getInt();
            }
        } else {
            throw new IOException("weight '" + name + "' of " + label + " has dtype '" + dtype
                    + "'; supported are float32, int32 and uint8/uint16-quantized float32");
        }
        return Nd4j.create(values, shape.length == 0 ? new long[] {1} : shape, 'c').castTo(DataType.FLOAT);
    }

    private static void need(ByteBuffer buffer, long bytes, String name, String label) throws IOException {
        if (buffer.remaining() < bytes) {
            throw new IOException("weight '" + name + "' of " + label + " needs " + bytes + " bytes but the shards have "
                    + buffer.remaining() + " left");
        }
    }

    private static long[] shape(JsonNode node) {
        List<Long> dims = new ArrayList<>();
        node.forEach(d -> dims.add(d.asLong()));
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static JsonNode required(JsonNode node, String field, String label) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IOException("weights manifest " + label + " lacks '" + field + "' in " + node);
        }
        return value;
    }
}
