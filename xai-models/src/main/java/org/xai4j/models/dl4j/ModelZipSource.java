package org.xai4j.models.dl4j;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.NetworkSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A DL4J model zip written by {@code ModelSerializer.writeModel}: the zip's {@code configuration.json} tells whether it
 * holds a {@code MultiLayerNetwork} or a {@code ComputationGraph}, which is then restored without its updater state.
 */
public final class ModelZipSource implements NetworkSource {

    private final Path file;

    private ModelZipSource(Path file) {
        this.file = file;
    }

    /** A model zip file. */
    public static ModelZipSource of(Path modelZip) {
        if (modelZip == null) {
            throw new IllegalArgumentException("the model zip file must not be null");
        }
        return new ModelZipSource(modelZip);
    }

    @Override public String description() {
        return "DL4J model zip " + file.toAbsolutePath();
    }

    @Override public Model load() throws ModelLoadException {
        if (!Files.exists(file)) {
            throw new ModelLoadException("DL4J model zip " + file.toAbsolutePath() + " does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ModelLoadException("DL4J model zip " + file.toAbsolutePath() + " is not a readable file");
        }
        boolean graph = isComputationGraph();
        try {
            return graph ? ModelSerializer.restoreComputationGraph(file.toFile(), false)
                    : ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("cannot restore the " + (graph ? "ComputationGraph" : "MultiLayerNetwork")
                    + " in " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private boolean isComputationGraph() throws ModelLoadException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(ModelSerializer.CONFIGURATION_JSON);
            if (entry == null) {
                throw new ModelLoadException(file.toAbsolutePath() + " is a zip file but not a DL4J model: it has no "
                        + ModelSerializer.CONFIGURATION_JSON + " entry (expected a file written by ModelSerializer)");
            }
            if (zip.getEntry(ModelSerializer.COEFFICIENTS_BIN) == null) {
                throw new ModelLoadException(file.toAbsolutePath() + " holds a DL4J configuration but no "
                        + ModelSerializer.COEFFICIENTS_BIN + " entry: it was saved without parameters");
            }
            JsonNode conf;
            try (InputStream in = zip.getInputStream(entry)) {
                conf = new ObjectMapper().readTree(in);
            }
            if (conf != null && conf.has("vertices")) {
                return true;
            }
            if (conf != null && conf.has("confs")) {
                return false;
            }
            throw new ModelLoadException(file.toAbsolutePath() + ": " + ModelSerializer.CONFIGURATION_JSON
                    + " describes neither a MultiLayerNetwork (\"confs\") nor a ComputationGraph (\"vertices\")");
        } catch (ZipException e) {
            throw new ModelLoadException(file.toAbsolutePath() + " is not a zip file (expected a DL4J model zip written "
                    + "by ModelSerializer): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
