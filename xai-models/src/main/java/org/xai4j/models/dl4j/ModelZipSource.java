package org.xai4j.models.dl4j;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.NetworkSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A DL4J model zip written by {@code ModelSerializer.writeModel}: the zip's {@code configuration.json} tells whether it
 * holds a {@code MultiLayerNetwork} or a {@code ComputationGraph}, which is then restored without its updater state.
 */
public final class ModelZipSource implements NetworkSource {

    private final Path file;

    private ModelZipSource(Builder b) {
        this.file = Objects.requireNonNull(b.file, "file is required: call setFile");
    }

    /**
     * Starts configuring a DL4J model zip source.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
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
            // DL4J reseeds the calling thread's ND4J generator when it builds the network: restore it after.
            return ThreadRandom.preserving(() -> graph
                    ? ModelSerializer.restoreComputationGraph(file.toFile(), false)
                    : ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false));
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("cannot restore the " + (graph ? "ComputationGraph" : "MultiLayerNetwork")
                    + " in " + file.toAbsolutePath() + " (expected a complete model zip written by ModelSerializer): "
                    + e.getMessage(), e);
        }
    }

    private boolean isComputationGraph() throws ModelLoadException {
        ZipFile opened;
        try {
            opened = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new ModelLoadException(notAZip(e), e);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        try (ZipFile zip = opened) {
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
            } catch (JsonProcessingException e) {
                throw new ModelLoadException(file.toAbsolutePath() + ": its " + ModelSerializer.CONFIGURATION_JSON
                        + " is not valid JSON (" + e.getOriginalMessage() + "); expected the network configuration "
                        + "ModelSerializer writes", e);
            } catch (ZipException e) {
                throw new ModelLoadException(file.toAbsolutePath() + " is damaged: its "
                        + ModelSerializer.CONFIGURATION_JSON + " entry cannot be decompressed (" + e.getMessage()
                        + "); expected a complete DL4J model zip written by ModelSerializer", e);
            }
            if (conf != null && conf.has("vertices")) {
                return true;
            }
            if (conf != null && conf.has("confs")) {
                return false;
            }
            throw new ModelLoadException(file.toAbsolutePath() + ": " + ModelSerializer.CONFIGURATION_JSON
                    + " describes neither a MultiLayerNetwork (\"confs\") nor a ComputationGraph (\"vertices\")");
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** Why {@link ZipFile} refused the file: empty, a truncated zip, an HDF5 file, or something else. */
    private String notAZip(ZipException e) {
        String expected = "expected a DL4J model zip written by ModelSerializer";
        byte[] head = new byte[8];
        int n;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException ignored) {
            return file.toAbsolutePath() + " is not a zip file (" + e.getMessage() + "); " + expected;
        }
        if (size == 0) {
            return file.toAbsolutePath() + " is empty (0 bytes); " + expected;
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return file.toAbsolutePath() + " is truncated or damaged: it starts like a zip file but its directory "
                    + "cannot be read (" + e.getMessage() + "; " + size + " bytes, an interrupted download or copy?); "
                    + "expected a complete DL4J model zip written by ModelSerializer";
        }
        if (n == 8 && head[0] == (byte) 0x89 && head[1] == 'H' && head[2] == 'D' && head[3] == 'F') {
            return file.toAbsolutePath() + " is not a zip file but an HDF5 file (a Keras .h5? load it with "
                    + "KerasH5Source); " + expected;
        }
        StringBuilder bytes = new StringBuilder();
        for (int i = 0; i < n; i++) {
            bytes.append(String.format(" %02x", head[i]));
        }
        return file.toAbsolutePath() + " is not a zip file (it starts with bytes" + bytes + ", " + size
                + " bytes); " + expected;
    }

    /** Builder: required {@link #setFile}. */
    public static final class Builder {
        private Path file;

        private Builder() { }

        /**
         * The zip written by {@code ModelSerializer.writeModel} (required).
         *
         * @param modelZip the file
         * @return this builder
         */
        public Builder setFile(Path modelZip) {
            this.file = modelZip;
            return this;
        }

        /**
         * Builds the source; the file is read by {@link ModelZipSource#load()}.
         *
         * @return the source
         * @throws NullPointerException if no file was set
         */
        public ModelZipSource build() {
            return new ModelZipSource(this);
        }
    }
}
