package org.xai4j.models.zoo;

import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.common.resources.ResourceType;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.model.VGG16;
import org.xai4j.models.ModelLoadException;
import org.xai4j.models.NetworkSource;
import org.xai4j.models.dl4j.ModelZipSource;

import java.io.File;
import java.util.Objects;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.zip.Adler32;
import java.util.zip.CheckedInputStream;

/**
 * The DL4J zoo's pretrained VGG16 ({@code VGG16.initPretrained(IMAGENET | VGGFACE)}), read from the zoo's cache.
 *
 * <p>The zoo's own {@code initPretrained} downloads a missing file with no timeout (a machine without internet access
 * hangs) and deletes a cached file whose checksum differs. This source never downloads: the cache file must be where
 * the zoo keeps it, {@link #cacheFile()} = {@code DL4JResources.getDirectory(ZOO_MODEL, "vgg16")/<file name of the
 * zoo URL>}, by default {@code ~/.deeplearning4j/models/vgg16/vgg16_dl4j_inference.zip} (ImageNet) or
 * {@code .../vgg16_dl4j_vggface_inference.v1.zip} (VGGFace); the base directory follows
 * {@code DL4JResources.setBaseDirectory} and the {@code org.deeplearning4j.resources.directory} system property. A
 * missing file fails immediately with a message naming the file, the directory and the URL to fetch it from. The file
 * is verified with the zoo's Adler-32 checksum (a mismatch is reported, the file is left alone) and restored with
 * {@code ModelSerializer}, exactly as the zoo would (through {@link ModelZipSource}, which names an empty, truncated or
 * non-zip file as such).
 *
 * <p>The zoo network is a {@code ComputationGraph} with numbered vertices ({@code "0"} is block1_conv1, {@code "16"}
 * block5_conv3, {@code "20"} the softmax output); the adapters rename them Keras-style by position.
 */
public final class ZooVggSource implements NetworkSource {

    private final PretrainedType type;
    private final long expectedChecksum;

    private ZooVggSource(Builder b) {
        this.type = checkType(Objects.requireNonNull(b.type, "type is required: call setType"));
        this.expectedChecksum = b.checksum != null ? b.checksum : zoo().pretrainedChecksum(type);
    }

    /**
     * Starts configuring a zoo source.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private static PretrainedType checkType(PretrainedType type) {
        if (type != PretrainedType.IMAGENET && type != PretrainedType.VGGFACE) {
            throw new IllegalArgumentException("the zoo VGG16 adapter supports IMAGENET and VGGFACE weights, got " + type);
        }
        return type;
    }

    private static VGG16 zoo() {
        return VGG16.builder().build();
    }

    /** The pretrained type. */
    public PretrainedType type() {
        return type;
    }

    /** The URL the zoo downloads this model from. */
    public String url() {
        return zoo().pretrainedUrl(type);
    }

    /** Where the zoo caches this model (computed from the current DL4J base directory). */
    public File cacheFile() {
        VGG16 zoo = zoo();
        String fileName = new File(zoo.pretrainedUrl(type)).getName();
        return new File(DL4JResources.getDirectory(ResourceType.ZOO_MODEL, zoo.modelName()), fileName);
    }

    /** The Adler-32 checksum the file must have (0: not checked). */
    public long expectedChecksum() {
        return expectedChecksum;
    }

    @Override public String description() {
        return "DL4J zoo VGG16 (" + type + ") at " + cacheFile().getAbsolutePath();
    }

    @Override public Model load() throws ModelLoadException {
        File file = cacheFile();
        if (!file.isFile()) {
            throw new ModelLoadException("the DL4J zoo VGG16 " + type + " model is not in the local zoo cache and "
                    + "xai4j does not download it: place the file " + file.getName() + " (from " + url() + ") at "
                    + file.getAbsolutePath() + " (directory " + file.getParentFile().getAbsolutePath() + "; the base "
                    + "directory is set with DL4JResources.setBaseDirectory or -D"
                    + DL4JResources.DL4J_RESOURCES_DIR_PROPERTY + ")");
        }
        if (expectedChecksum != 0) {
            long actual = adler32(file);
            if (actual != expectedChecksum) {
                throw new ModelLoadException("the DL4J zoo VGG16 " + type + " file " + file.getAbsolutePath()
                        + " has Adler-32 checksum " + actual + " but the zoo expects " + expectedChecksum
                        + " (incomplete or different file; download it again from " + url() + ")");
            }
        }
        Model model;
        try {
            // the same restore as the zoo's, with ModelZipSource's checks for empty, truncated and non-zip files
            model = ModelZipSource.builder().setFile(file.toPath()).build().load();
        } catch (ModelLoadException e) {
            throw new ModelLoadException("cannot restore the DL4J zoo VGG16 " + type + " model (download it again from "
                    + url() + "): " + e.getMessage(), e);
        }
        if (!(model instanceof ComputationGraph)) {
            throw new ModelLoadException("the DL4J zoo VGG16 " + type + " file " + file.getAbsolutePath() + " holds a "
                    + model.getClass().getSimpleName() + "; expected the zoo's ComputationGraph");
        }
        return model;
    }

    private static long adler32(File file) throws ModelLoadException {
        try (InputStream in = new CheckedInputStream(Files.newInputStream(file.toPath()), new Adler32())) {
            byte[] buffer = new byte[1 << 16];
            while (in.read(buffer) >= 0) {
                // reading updates the checksum
            }
            return ((CheckedInputStream) in).getChecksum().getValue();
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + file.getAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** Builder: required {@link #setType}; optional {@link #optChecksum}. */
    public static final class Builder {
        private PretrainedType type;
        private Long checksum;

        private Builder() { }

        /**
         * The pretrained weights (required): {@link PretrainedType#IMAGENET} or {@link PretrainedType#VGGFACE}.
         *
         * @param pretrainedType the type
         * @return this builder
         */
        public Builder setType(PretrainedType pretrainedType) {
            this.type = pretrainedType;
            return this;
        }

        /**
         * The Adler-32 checksum the cache file must have (default: the zoo's), for a re-exported or fine-tuned copy
         * placed in the cache; 0 skips the check.
         *
         * @param adler32Checksum the checksum
         * @return this builder
         */
        public Builder optChecksum(long adler32Checksum) {
            this.checksum = adler32Checksum;
            return this;
        }

        /**
         * Builds the source; the cache file is read by {@link ZooVggSource#load()}.
         *
         * @return the source
         * @throws NullPointerException     if no type was set
         * @throws IllegalArgumentException if the type is neither IMAGENET nor VGGFACE
         */
        public ZooVggSource build() {
            return new ZooVggSource(this);
        }
    }
}
