package org.xai4j.models.keras;

import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.DataType;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.global.hdf5;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xai4j.models.dl4j.ThreadRandom;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.NetworkSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A Keras 2 network in HDF5: a full model saved with {@code model.save("x.h5")} (Functional, as keras.applications
 * builds VGG16, or Sequential, as some keras-vggface exports are) or an architecture JSON ({@code model.to_json()})
 * plus a weights file ({@code model.save_weights}, the form of the official downloads). Imported with DL4J's
 * {@code KerasModelImport} (without enforcing the training configuration); the imported network expects NHWC input,
 * which the adapters turn into the NCHW xai4j convention.
 *
 * <p>Before DL4J sees the file, {@link #load()} checks what DL4J reports badly or not at all: a missing file, a file
 * that is not HDF5 or is truncated (from the superblock's end-of-file address), a weights-only file given as a full
 * model (and a full model given as a weights file), a layer whose weight datasets are missing (named), and weights
 * whose shapes differ from what the model configuration implies (a JSON and a weights file of different
 * architectures, which DL4J M2.1 imports without complaint by copying mismatched arrays into its parameters, corrupting
 * native memory until the JVM crashes). Sequential models with {@code /} in layer names (keras-vggface's
 * {@code fc6/relu}) fail in DL4J M2.1 with "H5Gopen2 failed" because the import looks up a weights group for the input
 * layer, which Keras never writes; such files are imported from a temporary copy with that empty group added.
 */
public final class KerasH5Source implements NetworkSource {

    private static final Logger LOG = LoggerFactory.getLogger(KerasH5Source.class);
    private static final Set<String> WEIGHTED = Set.of("Conv2D", "Convolution2D", "Dense", "Conv2DTranspose",
            "SeparableConv2D", "DepthwiseConv2D");

    private final Path modelFile;
    private final Path jsonFile;

    private KerasH5Source(Builder b) {
        Objects.requireNonNull(b.file, "file is required: call setFile");
        if (b.weights == null) {
            this.modelFile = b.file;
            this.jsonFile = null;
        } else {
            this.modelFile = b.weights;
            this.jsonFile = b.file;
        }
    }

    /**
     * Starts configuring a Keras source.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override public String description() {
        return jsonFile == null ? "Keras file " + modelFile.toAbsolutePath()
                : "Keras files " + jsonFile.toAbsolutePath() + " + " + modelFile.toAbsolutePath();
    }

    /**
     * Checks and imports the file(s). The whole load holds the HDF5 lock of {@link Hdf5Access}, and every HDF5 object
     * it opened is closed before it returns or throws, so loads from several threads are safe. The calling thread's
     * ND4J random generator, which DL4J reseeds when it builds the network, is left as it was.
     */
    @Override public Model load() throws ModelLoadException {
        return ThreadRandom.preserving(() -> Hdf5Access.run(this::checkAndImport));
    }

    private Model checkAndImport() throws ModelLoadException {
        Hdf5Files.checkReadable(modelFile, jsonFile == null ? "Keras model file" : "Keras weights file");
        if (jsonFile != null) {
            Hdf5Files.checkReadable(jsonFile, "Keras model JSON file");
        }
        Hdf5Files.checkHdf5(modelFile);
        JsonNode config = modelConfig();
        String className = config.path("class_name").asText();
        boolean sequential = "Sequential".equals(className);
        if (!sequential && !"Functional".equals(className) && !"Model".equals(className)) {
            throw new ModelLoadException(configOrigin() + " describes a '" + className
                    + "' model; expected a Keras Functional (Model) or Sequential model");
        }
        List<JsonNode> layers = layersOf(config);
        String weightsRoot = jsonFile == null ? "model_weights" : null;
        checkWeights(layers, weightsRoot);

        Path toImport = modelFile;
        Path patched = null;
        try {
            String missingInput = sequential ? unsavedInputLayer(layers, weightsRoot) : null;
            if (missingInput != null) {
                patched = patchedCopy(missingInput, weightsRoot);
                toImport = patched;
            }
            return importNetwork(toImport, sequential);
        } finally {
            if (patched != null) {
                try {
                    Files.deleteIfExists(patched);
                } catch (IOException e) {
                    LOG.warn("could not delete temporary file {}", patched, e);
                }
            }
        }
    }

    /**
     * The input layer's {@code batch_input_shape} as {@code [channels, height, width]} (Keras images are
     * channels-last: {@code [None, height, width, channels]}), or empty if a size is left open.
     *
     * @throws ModelLoadException naming the file, if it is missing or not a readable Keras model
     */
    @Override public Optional<long[]> declaredInputShape() throws ModelLoadException {
        Hdf5Files.checkReadable(jsonFile == null ? modelFile : jsonFile,
                jsonFile == null ? "Keras model file" : "Keras model JSON file");
        if (jsonFile == null) {
            Hdf5Files.checkHdf5(modelFile);
        }
        for (JsonNode layer : layersOf(modelConfig())) {
            JsonNode in = layer.path("config").path("batch_input_shape");
            if (in.size() == 4) {
                if (!in.get(1).canConvertToLong() || !in.get(2).canConvertToLong() || !in.get(3).canConvertToLong()) {
                    return Optional.empty();
                }
                return Optional.of(new long[] {in.get(3).asLong(), in.get(1).asLong(), in.get(2).asLong()});
            }
        }
        return Optional.empty();
    }

    private String configOrigin() {
        return jsonFile == null ? modelFile.toAbsolutePath().toString() : jsonFile.toAbsolutePath().toString();
    }

    private JsonNode modelConfig() throws ModelLoadException {
        String json;
        if (jsonFile != null) {
            try {
                json = Files.readString(jsonFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ModelLoadException("cannot read Keras model JSON file " + jsonFile.toAbsolutePath() + ": "
                        + e.getMessage(), e);
            }
        } else {
            try (Hdf5Archive archive = open(modelFile)) {
                if (!archive.hasAttribute("model_config")) {
                    throw new ModelLoadException(modelFile.toAbsolutePath() + " has no model_config attribute: it is "
                            + "a weights-only file (model.save_weights); load it with KerasH5Source.builder().setFile(modelJson)"
                            + ".optWeights(weightsH5).build() and the architecture JSON from model.to_json()");
                }
                json = archive.readAttributeAsJson("model_config");
            } catch (ModelLoadException e) {
                throw e;
            } catch (Exception e) {
                throw new ModelLoadException("cannot read the model_config attribute of " + modelFile.toAbsolutePath()
                        + ": " + e.getMessage(), e);
            }
        }
        try {
            JsonNode node = new ObjectMapper().readTree(json);
            if (node == null || !node.has("class_name") || !node.has("config")) {
                throw new ModelLoadException(configOrigin() + " is not a Keras model configuration (expected a JSON "
                        + "object with class_name and config)");
            }
            return node;
        } catch (IOException e) {
            throw new ModelLoadException(configOrigin() + " does not hold valid Keras model JSON: " + e.getMessage(), e);
        }
    }

    private static List<JsonNode> layersOf(JsonNode config) {
        JsonNode inner = config.path("config");
        JsonNode layers = inner.isArray() ? inner : inner.path("layers");
        List<JsonNode> list = new ArrayList<>();
        layers.forEach(list::add);
        return list;
    }

    private static Hdf5Archive open(Path file) throws ModelLoadException {
        try {
            return new Hdf5Archive(file.toAbsolutePath().toString());
        } catch (RuntimeException e) {
            throw new ModelLoadException(file.toAbsolutePath() + " cannot be opened as HDF5 (corrupt or truncated "
                    + "file?): " + e.getMessage(), e);
        }
    }

    private static String[] groupPath(String root, String layerName) {
        List<String> parts = new ArrayList<>();
        if (root != null) {
            parts.add(root);
        }
        parts.addAll(Arrays.asList(layerName.split("/")));
        return parts.toArray(new String[0]);
    }

    /** Every weighted layer of the config must have kernel (and bias, unless use_bias is false) datasets. */
    private void checkWeights(List<JsonNode> layers, String root) throws ModelLoadException {
        Set<String> layerNames = new HashSet<>();
        for (JsonNode layer : layers) {
            layerNames.add(layer.path("config").path("name").asText());
        }
        Map<String, String[]> weightPaths = new LinkedHashMap<>();
        try (Hdf5Archive archive = open(modelFile)) {
            for (JsonNode layer : layers) {
                String type = layer.path("class_name").asText();
                if (!WEIGHTED.contains(type)) {
                    continue;
                }
                String name = layer.path("config").path("name").asText();
                String[] path = groupPath(root, name);
                if (!hasGroup(archive, path)) {
                    if (root == null && archive.getGroups().contains("model_weights")) {
                        throw new ModelLoadException(modelFile.toAbsolutePath() + " is a full model file (model.save: "
                                + "its weights are under model_weights), not a weights file (model.save_weights); load "
                                + "it alone with KerasH5Source.builder().setFile(modelH5).build()");
                    }
                    throw new ModelLoadException(modelFile.toAbsolutePath() + ": layer '" + name + "' (" + type
                            + ") has no weights: the file has no group " + String.join("/", path));
                }
                List<String> datasets = new ArrayList<>();
                collectDatasets(archive, path, name, layerNames, datasets, 0);
                boolean useBias = layer.path("config").path("use_bias").asBoolean(true);
                List<String> missing = new ArrayList<>();
                if (datasets.stream().noneMatch(d -> d.contains("kernel"))) {
                    missing.add("kernel");
                }
                if (useBias && datasets.stream().noneMatch(d -> d.contains("bias"))) {
                    missing.add("bias");
                }
                if (!missing.isEmpty()) {
                    throw new ModelLoadException(modelFile.toAbsolutePath() + ": layer '" + name + "' (" + type
                            + ") is missing its " + String.join(" and ", missing) + " weights: expected datasets like "
                            + String.join("/", path) + "/" + name + "/" + missing.get(0) + ":0, found " + datasets);
                }
                String prefix = root == null ? "" : root + "/";
                weightPaths.put(name, new String[] {
                        prefix + datasets.stream().filter(d -> d.contains("kernel")).findFirst().orElseThrow(),
                        useBias ? prefix + datasets.stream().filter(d -> d.contains("bias")).findFirst().orElseThrow()
                                : null});
            }
        } catch (ModelLoadException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelLoadException("cannot read the weights of " + modelFile.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
        checkShapes(layers, readShapes(weightPaths));
    }

    /** The stored shapes of each layer's kernel and bias datasets (bias null when the layer has none). */
    private Map<String, long[][]> readShapes(Map<String, String[]> weightPaths) throws ModelLoadException {
        Map<String, long[][]> shapes = new LinkedHashMap<>();
        return Hdf5Access.run(() -> {
            H5File f = null;
            try {
                f = new H5File(modelFile.toAbsolutePath().toString(), hdf5.H5F_ACC_RDONLY());
                for (Map.Entry<String, String[]> e : weightPaths.entrySet()) {
                    String[] paths = e.getValue();
                    shapes.put(e.getKey(), new long[][] {
                            datasetShape(f, paths[0]), paths[1] == null ? null : datasetShape(f, paths[1])});
                }
            } catch (RuntimeException e) {
                throw new ModelLoadException("cannot read the weight shapes of " + modelFile.toAbsolutePath() + ": "
                        + e.getMessage(), e);
            } finally {
                if (f != null) {
                    f.deallocate(); // closes the file
                }
            }
            return shapes;
        });
    }

    private static long[] datasetShape(H5File f, String path) {
        DataSet set = f.openDataSet(path);
        DataSpace space = set.getSpace();
        try {
            long[] dims = new long[space.getSimpleExtentNdims()];
            space.getSimpleExtentDims(dims);
            return dims;
        } finally {
            space.deallocate();
            set.deallocate(); // closes the dataset
        }
    }

    /**
     * Compares the stored kernel and bias shapes with those the configuration implies. Output sizes (filters, units)
     * and kernel sizes are always checked; input sizes (channels, flattened features) are followed through the chain
     * of layers from the input as long as every layer is one whose output shape is known here.
     */
    private void checkShapes(List<JsonNode> layers, Map<String, long[][]> stored) throws ModelLoadException {
        long[] shape = null; // {h, w, c} (-1: unknown) or {features}; null: not followed
        String previous = null;
        for (JsonNode layer : layers) {
            String type = layer.path("class_name").asText();
            JsonNode c = layer.path("config");
            String name = c.path("name").asText();
            if (shape != null && !followsDirectly(layer, previous)) {
                shape = null;
            }
            if (previous == null && !"InputLayer".equals(type) && c.path("batch_input_shape").size() == 4) {
                JsonNode in = c.path("batch_input_shape"); // a Sequential model without an InputLayer
                shape = new long[] {dim(in.get(1)), dim(in.get(2)), dim(in.get(3))};
            }
            if ("channels_first".equals(c.path("data_format").asText()) || c.has("dim_ordering")) {
                shape = null; // channels first, or a Keras 1 layer (whose layouts are not followed here)
            }
            switch (type) {
                case "InputLayer" -> {
                    JsonNode in = c.path("batch_input_shape");
                    shape = in.size() == 4 ? new long[] {dim(in.get(1)), dim(in.get(2)), dim(in.get(3))} : null;
                }
                case "Conv2D", "Convolution2D" -> {
                    long filters = c.path("filters").asLong(-1);
                    long kh = pair(c.path("kernel_size"), 0);
                    long kw = pair(c.path("kernel_size"), 1);
                    long cin = shape != null && shape.length == 3 && c.path("groups").asInt(1) == 1 ? shape[2] : -1;
                    checkShape(name, type, "kernel", stored.get(name)[0], new long[] {kh, kw, cin, filters});
                    checkShape(name, type, "bias", stored.get(name)[1], new long[] {filters});
                    if (shape != null && shape.length == 3) {
                        boolean same = "same".equals(c.path("padding").asText());
                        long dh = Math.max(1, pair(c.path("dilation_rate"), 0));
                        long dw = Math.max(1, pair(c.path("dilation_rate"), 1));
                        shape = new long[] {
                                outSize(shape[0], (kh - 1) * dh + 1, pair(c.path("strides"), 0), same),
                                outSize(shape[1], (kw - 1) * dw + 1, pair(c.path("strides"), 1), same), filters};
                    } else {
                        shape = null;
                    }
                }
                case "Dense" -> {
                    long units = c.path("units").asLong(-1);
                    long in = shape != null && shape.length == 1 ? shape[0] : -1;
                    checkShape(name, type, "kernel", stored.get(name)[0], new long[] {in, units});
                    checkShape(name, type, "bias", stored.get(name)[1], new long[] {units});
                    shape = shape != null && shape.length == 1 ? new long[] {units} : null;
                }
                case "MaxPooling2D", "AveragePooling2D" -> {
                    if (shape != null && shape.length == 3) {
                        JsonNode strides = c.path("strides").isNull() || c.path("strides").isMissingNode()
                                ? c.path("pool_size") : c.path("strides");
                        boolean same = "same".equals(c.path("padding").asText());
                        shape = new long[] {
                                outSize(shape[0], pair(c.path("pool_size"), 0), pair(strides, 0), same),
                                outSize(shape[1], pair(c.path("pool_size"), 1), pair(strides, 1), same), shape[2]};
                    } else {
                        shape = null;
                    }
                }
                case "Flatten" -> shape = shape != null && shape.length == 3
                        ? new long[] {shape[0] < 0 || shape[1] < 0 || shape[2] < 0 ? -1 : shape[0] * shape[1] * shape[2]}
                        : null;
                case "GlobalAveragePooling2D", "GlobalMaxPooling2D" -> shape = shape != null && shape.length == 3
                        ? new long[] {shape[2]} : null;
                case "Activation", "Dropout", "ReLU", "Softmax", "LeakyReLU", "SpatialDropout2D" -> {
                    // same shape
                }
                default -> {
                    if (WEIGHTED.contains(type)) {
                        checkOutputSize(name, type, stored.get(name), c.path("filters").asLong(-1));
                    }
                    shape = null;
                }
            }
            previous = name;
        }
    }

    /** Whether a layer's only input is the previous layer of the list (always true in a Sequential model). */
    private static boolean followsDirectly(JsonNode layer, String previous) {
        JsonNode nodes = layer.path("inbound_nodes");
        if (nodes.isMissingNode()) {
            return true; // Sequential
        }
        return nodes.size() == 1 && nodes.get(0).size() == 1 && nodes.get(0).get(0).path(0).asText().equals(previous);
    }

    private static long dim(JsonNode n) {
        return n == null || n.isNull() ? -1 : n.asLong(-1);
    }

    /** Element {@code i} of a Keras size pair, which may also be a single integer; -1 if absent. */
    private static long pair(JsonNode n, int i) {
        if (n.isArray()) {
            return n.size() > i ? n.get(i).asLong(-1) : -1;
        }
        return n.isNumber() ? n.asLong() : -1;
    }

    private static long outSize(long in, long window, long stride, boolean same) {
        if (in < 0 || window < 1 || stride < 1) {
            return -1;
        }
        return same ? (in + stride - 1) / stride : Math.max(0, (in - window) / stride + 1);
    }

    private void checkOutputSize(String name, String type, long[][] shapes, long filters) throws ModelLoadException {
        if (filters > 0 && shapes[1] != null) {
            checkShape(name, type, "bias", shapes[1], new long[] {filters});
        }
    }

    /** Throws unless {@code actual} matches {@code expected}, where -1 in {@code expected} matches anything. */
    private void checkShape(String name, String type, String weight, long[] actual, long[] expected)
            throws ModelLoadException {
        if (actual == null) {
            return; // no bias (use_bias false)
        }
        boolean match = actual.length == expected.length;
        for (int i = 0; match && i < actual.length; i++) {
            match = expected[i] < 0 || actual[i] == expected[i];
        }
        if (!match) {
            StringBuilder wanted = new StringBuilder("[");
            for (int i = 0; i < expected.length; i++) {
                wanted.append(i == 0 ? "" : ", ").append(expected[i] < 0 ? "?" : String.valueOf(expected[i]));
            }
            wanted.append(']');
            throw new ModelLoadException(modelFile.toAbsolutePath() + ": layer '" + name + "' (" + type + ") has a "
                    + weight + " of shape " + Arrays.toString(actual) + " but the model configuration"
                    + (jsonFile == null ? "" : " in " + jsonFile.toAbsolutePath()) + " expects " + wanted
                    + ": the weights belong to a different architecture");
        }
    }

    private static boolean hasGroup(Hdf5Archive archive, String[] path) {
        String[] parent = Arrays.copyOf(path, path.length - 1);
        List<String> groups = parent.length == 0 ? archive.getGroups() : archive.getGroups(parent);
        return groups.contains(path[path.length - 1]);
    }

    /** Datasets under a layer's group, not descending into groups that belong to other layers ("fc6/relu"). */
    private static void collectDatasets(Hdf5Archive archive, String[] path, String prefix, Set<String> layerNames,
                                        List<String> out, int depth) {
        for (String d : archive.getDataSets(path)) {
            out.add(prefix + "/" + d);
        }
        if (depth >= 3) {
            return;
        }
        for (String g : archive.getGroups(path)) {
            String childName = prefix + "/" + g;
            if (depth == 0 && layerNames.contains(childName)) {
                continue;
            }
            String[] child = Arrays.copyOf(path, path.length + 1);
            child[path.length] = g;
            collectDatasets(archive, child, childName, layerNames, out, depth + 1);
        }
    }

    /**
     * The name of the Sequential's InputLayer when DL4J will look for its (never written) weights group: only when
     * some layer name contains '/', which switches DL4J M2.1 to group lookups for every layer.
     */
    private String unsavedInputLayer(List<JsonNode> layers, String root) throws ModelLoadException {
        if (layers.isEmpty() || !"InputLayer".equals(layers.get(0).path("class_name").asText())) {
            return null;
        }
        boolean slash = layers.stream().anyMatch(l -> l.path("config").path("name").asText().contains("/"));
        if (!slash) {
            return null;
        }
        String input = layers.get(0).path("config").path("name").asText();
        try (Hdf5Archive archive = open(modelFile)) {
            return hasGroup(archive, groupPath(root, input)) ? null : input;
        }
    }

    /**
     * Adds an empty layer group ({@code weight_names} = an empty float64 array, as Keras writes for weightless layers)
     * to a Keras HDF5 file.
     */
    static void addEmptyLayerGroup(Path h5, String groupPath) {
        Hdf5Access.run(() -> {
            H5File f = new H5File(h5.toAbsolutePath().toString(), hdf5.H5F_ACC_RDWR());
            try {
                Group g = f.createGroup(groupPath);
                DataSpace space = new DataSpace(1, new long[] {0});
                DataType type = new DataType(PredType.NATIVE_DOUBLE());
                Attribute a = g.createAttribute("weight_names", type, space);
                a.deallocate();
                type.deallocate();
                space.deallocate();
                g.deallocate();
            } finally {
                f.deallocate();
            }
            return null;
        });
    }

    private Path patchedCopy(String inputLayer, String root) throws ModelLoadException {
        Path copy;
        try {
            copy = Files.createTempFile("xai4j-keras-", ".h5");
            Files.copy(modelFile, copy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ModelLoadException("cannot make a temporary copy of " + modelFile.toAbsolutePath()
                    + " to work around the DL4J Sequential import bug: " + e.getMessage(), e);
        }
        LOG.debug("Importing {} from a copy with an empty weights group for input layer '{}'", modelFile, inputLayer);
        addEmptyLayerGroup(copy, (root == null ? "" : root + "/") + inputLayer);
        return copy;
    }

    private Model importNetwork(Path h5, boolean sequential) throws ModelLoadException {
        String h5Path = h5.toAbsolutePath().toString();
        try {
            if (jsonFile == null) {
                return sequential ? KerasModelImport.importKerasSequentialModelAndWeights(h5Path, false)
                        : KerasModelImport.importKerasModelAndWeights(h5Path, false);
            }
            String json = jsonFile.toAbsolutePath().toString();
            return sequential ? KerasModelImport.importKerasSequentialModelAndWeights(json, h5Path, false)
                    : KerasModelImport.importKerasModelAndWeights(json, h5Path, false);
        } catch (Exception e) {
            throw new ModelLoadException("DL4J cannot import " + description() + ": " + e.getMessage(), e);
        }
    }

    /** Builder: required {@link #setFile}; optional {@link #optWeights}. */
    public static final class Builder {
        private Path file;
        private Path weights;

        private Builder() { }

        /**
         * The model: a full model file written by {@code model.save("x.h5")}, or an architecture JSON
         * ({@code model.to_json()}) whose weights {@link #optWeights} gives (required).
         *
         * @param modelFile the {@code .h5} or {@code .json} file
         * @return this builder
         */
        public Builder setFile(Path modelFile) {
            this.file = modelFile;
            return this;
        }

        /**
         * The weights file ({@code model.save_weights("x.h5")}) of an architecture JSON.
         *
         * @param weightsH5 the HDF5 weights
         * @return this builder
         */
        public Builder optWeights(Path weightsH5) {
            this.weights = weightsH5;
            return this;
        }

        /**
         * Builds the source; the files are read by {@link KerasH5Source#load()}.
         *
         * @return the source
         * @throws NullPointerException if no file was set
         */
        public KerasH5Source build() {
            return new KerasH5Source(this);
        }
    }
}
