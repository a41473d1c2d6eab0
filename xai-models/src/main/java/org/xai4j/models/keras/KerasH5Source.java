package org.xai4j.models.keras;

import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.DataType;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.global.hdf5;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import java.util.List;
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
 * model, and a layer whose weight datasets are missing (named). Sequential models with {@code /} in layer names
 * (keras-vggface's {@code fc6/relu}) fail in DL4J M2.1 with "H5Gopen2 failed" because the import looks up a weights
 * group for the input layer, which Keras never writes; such files are imported from a temporary copy with that empty
 * group added.
 */
public final class KerasH5Source implements NetworkSource {

    private static final Logger LOG = LoggerFactory.getLogger(KerasH5Source.class);
    private static final Set<String> WEIGHTED = Set.of("Conv2D", "Convolution2D", "Dense", "Conv2DTranspose",
            "SeparableConv2D", "DepthwiseConv2D");

    private final Path modelFile;
    private final Path jsonFile;

    private KerasH5Source(Path modelFile, Path jsonFile) {
        if (modelFile == null) {
            throw new IllegalArgumentException("the HDF5 file must not be null");
        }
        this.modelFile = modelFile;
        this.jsonFile = jsonFile;
    }

    /** A full model file written by {@code model.save("x.h5")}. */
    public static KerasH5Source of(Path modelH5) {
        return new KerasH5Source(modelH5, null);
    }

    /**
     * An architecture JSON ({@code model.to_json()}) with a weights file ({@code model.save_weights("x.h5")}).
     */
    public static KerasH5Source of(Path modelJson, Path weightsH5) {
        if (modelJson == null) {
            throw new IllegalArgumentException("the model JSON file must not be null");
        }
        return new KerasH5Source(weightsH5, modelJson);
    }

    @Override public String description() {
        return jsonFile == null ? "Keras file " + modelFile.toAbsolutePath()
                : "Keras files " + jsonFile.toAbsolutePath() + " + " + modelFile.toAbsolutePath();
    }

    @Override public Model load() throws ModelLoadException {
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
                            + "a weights-only file (model.save_weights); load it with KerasH5Source.of(modelJson, "
                            + "weightsH5) and the architecture JSON from model.to_json()");
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
        try (Hdf5Archive archive = open(modelFile)) {
            for (JsonNode layer : layers) {
                String type = layer.path("class_name").asText();
                if (!WEIGHTED.contains(type)) {
                    continue;
                }
                String name = layer.path("config").path("name").asText();
                String[] path = groupPath(root, name);
                if (!hasGroup(archive, path)) {
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
            }
        } catch (ModelLoadException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelLoadException("cannot read the weights of " + modelFile.toAbsolutePath() + ": "
                    + e.getMessage(), e);
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
        Loader.load(hdf5.class);
        synchronized (Hdf5Archive.LOCK_OBJECT) {
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
        }
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
}
